// Declarations for the syntax check only (see README.md): the subset of
// TensorRT 10's nvinfer1 API the adapter uses, with the signatures and enum
// values of TensorRT 10.5's include/NvInfer.h and NvInferRuntime.h (the
// version in NVIDIA's 24.10 containers). Not TensorRT's header; never linked.
#pragma once
#include <cstddef>
#include <cstdint>
#include "cuda_runtime_api.h"

#define NV_TENSORRT_MAJOR 10
#define NV_TENSORRT_MINOR 5

namespace nvinfer1 {

using AsciiChar = char;

class Dims64 {
 public:
  static constexpr int32_t MAX_DIMS{8};
  int32_t nbDims;
  int64_t d[MAX_DIMS];
};
using Dims = Dims64;

enum class DataType : int32_t { kFLOAT = 0, kHALF = 1, kINT8 = 2, kINT32 = 3, kBOOL = 4, kUINT8 = 5, kFP8 = 6, kBF16 = 7, kINT64 = 8, kINT4 = 9 };
enum class TensorIOMode : int32_t { kNONE = 0, kINPUT = 1, kOUTPUT = 2 };
enum class OptProfileSelector : int32_t { kMIN = 0, kOPT = 1, kMAX = 2 };
enum class LayerType : int32_t { kCONVOLUTION = 0, kELEMENTWISE = 9, kUNARY = 11, kREDUCE = 14, kNORMALIZATION = 45 };
enum class BuilderFlag : int32_t { kFP16 = 0, kOBEY_PRECISION_CONSTRAINTS = 9 };
using NetworkDefinitionCreationFlags = uint32_t;

class ILogger {
 public:
  enum class Severity : int32_t { kINTERNAL_ERROR = 0, kERROR = 1, kWARNING = 2, kINFO = 3, kVERBOSE = 4 };
  virtual void log(Severity severity, AsciiChar const* msg) noexcept = 0;
  virtual ~ILogger() = default;
};

class ITensor {
 public:
  char const* getName() const noexcept;
  void setType(DataType type) noexcept;
};

class ILayer {
 public:
  LayerType getType() const noexcept;
  void setPrecision(DataType dataType) noexcept;
  int32_t getNbInputs() const noexcept;
  ITensor* getInput(int32_t index) const noexcept;
  int32_t getNbOutputs() const noexcept;
  ITensor* getOutput(int32_t index) const noexcept;
  void setOutputType(int32_t index, DataType dataType) noexcept;
};

class INetworkDefinition {
 public:
  virtual ~INetworkDefinition() noexcept = default;
  int32_t getNbLayers() const noexcept;
  ILayer* getLayer(int32_t index) const noexcept;
  int32_t getNbInputs() const noexcept;
  ITensor* getInput(int32_t index) const noexcept;
  int32_t getNbOutputs() const noexcept;
  ITensor* getOutput(int32_t index) const noexcept;
};

class IOptimizationProfile {
 public:
  bool setDimensions(char const* inputName, OptProfileSelector select, Dims const& dims) noexcept;
};

class IBuilderConfig {
 public:
  virtual ~IBuilderConfig() noexcept = default;
  void setFlag(BuilderFlag builderFlag) noexcept;
  int32_t addOptimizationProfile(IOptimizationProfile const* profile) noexcept;
};

class IHostMemory {
 public:
  virtual ~IHostMemory() noexcept = default;
  void* data() const noexcept;
  std::size_t size() const noexcept;
};

class IBuilder {
 public:
  virtual ~IBuilder() noexcept = default;
  INetworkDefinition* createNetworkV2(NetworkDefinitionCreationFlags flags) noexcept;
  IBuilderConfig* createBuilderConfig() noexcept;
  IOptimizationProfile* createOptimizationProfile() noexcept;
  IHostMemory* buildSerializedNetwork(INetworkDefinition& network, IBuilderConfig& config) noexcept;
};

enum class ExecutionContextAllocationStrategy : int32_t { kSTATIC = 0 };

class IExecutionContext {
 public:
  virtual ~IExecutionContext() noexcept = default;
  bool setInputShape(char const* tensorName, Dims const& dims) noexcept;
  Dims getTensorShape(char const* tensorName) const noexcept;
  bool setTensorAddress(char const* tensorName, void* data) noexcept;
  bool setOptimizationProfileAsync(int32_t profileIndex, cudaStream_t stream) noexcept;
  int32_t getOptimizationProfile() const noexcept;
  bool enqueueV3(cudaStream_t stream) noexcept;
};

class ICudaEngine {
 public:
  virtual ~ICudaEngine() noexcept = default;
  int32_t getNbIOTensors() const noexcept;
  char const* getIOTensorName(int32_t index) const noexcept;
  TensorIOMode getTensorIOMode(char const* tensorName) const noexcept;
  DataType getTensorDataType(char const* tensorName) const noexcept;
  int32_t getNbOptimizationProfiles() const noexcept;
  Dims getProfileShape(char const* tensorName, int32_t profileIndex, OptProfileSelector select) const noexcept;
  IExecutionContext* createExecutionContext(
      ExecutionContextAllocationStrategy strategy = ExecutionContextAllocationStrategy::kSTATIC) noexcept;
};

class IRuntime {
 public:
  virtual ~IRuntime() noexcept = default;
  ICudaEngine* deserializeCudaEngine(void const* blob, std::size_t size) noexcept;
};

IBuilder* createInferBuilder(ILogger& logger) noexcept;
IRuntime* createInferRuntime(ILogger& logger) noexcept;

}  // namespace nvinfer1
