// Declarations for the syntax check only (see README.md): the subset of
// TensorRT 10's nvonnxparser API the adapter uses. Not TensorRT's header.
#pragma once
#include "NvInfer.h"

namespace nvonnxparser {

class IParserError {
 public:
  char const* desc() const;
};

class IParser {
 public:
  virtual ~IParser() noexcept = default;
  virtual bool parseFromFile(char const* onnxModelFile, int verbosity) noexcept = 0;
  virtual int getNbErrors() const noexcept = 0;
  virtual IParserError const* getError(int index) const noexcept = 0;
};

IParser* createParser(nvinfer1::INetworkDefinition& network, nvinfer1::ILogger& logger) noexcept;

}  // namespace nvonnxparser
