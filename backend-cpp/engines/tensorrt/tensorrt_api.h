// What the TensorRT adapter's files share: the logger TensorRT reports to,
// ownership of its objects, and 2-D shapes. Internal to engines/tensorrt/.
#pragma once

#include <NvInfer.h>

#include <cstdint>
#include <cstdio>
#include <memory>

namespace fasterbert::engines::tensorrt {

// TensorRT's messages at WARNING and above go to stderr (the server log);
// the engine stays free of Triton headers.
class Logger final : public nvinfer1::ILogger {
 public:
  void log(Severity severity, const char* message) noexcept override {
    if (severity <= Severity::kWARNING) std::fprintf(stderr, "faster-bert TensorRT: %s\n", message);
  }
};

inline Logger& TheLogger() {
  static Logger logger;
  return logger;
}

template <typename T>
struct Deleter {
  void operator()(T* object) const { delete object; }  // TensorRT 10 and 11: plain delete
};
template <typename T>
using Owned = std::unique_ptr<T, Deleter<T>>;

inline nvinfer1::Dims Dims2(int64_t a, int64_t b) {
  nvinfer1::Dims dims{};
  dims.nbDims = 2;
  dims.d[0] = a;
  dims.d[1] = b;
  return dims;
}

}  // namespace fasterbert::engines::tensorrt
