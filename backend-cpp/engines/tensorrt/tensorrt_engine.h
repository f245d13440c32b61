// TensorRT on a GPU (nvinfer1 runtime API): deserializes a .plan once per
// Triton model, or builds one at load from an ONNX model (FP16 with the
// LayerNorm layers kept in FP32); each model instance gets its own execution
// context, pinned host staging and device buffers, picks the optimisation
// profile that fits each batch, and returns the outputs in device memory on
// its CUDA stream. Built only where CMake finds TensorRT (TENSORRT_ROOT).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engines/engine.h"

namespace fasterbert::engines {

struct TensorRtEngineOptions {
  std::string model_path;  // .plan (serialized engine) or .onnx (built at load)
  EngineBinding binding;
};

// Throws std::runtime_error naming the file or tensor at fault.
std::unique_ptr<Engine> MakeTensorRtEngine(const TensorRtEngineOptions& options);

}  // namespace fasterbert::engines
