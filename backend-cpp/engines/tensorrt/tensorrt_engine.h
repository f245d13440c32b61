// TensorRT on a GPU (nvinfer1 runtime API): deserializes a .plan once per
// GPU the Triton model's instances use, or builds one at load from an ONNX
// model (tensorrt_onnx_build.h; not with the lean runtime); each model instance
// gets its own execution context, pinned host staging and device buffers,
// picks the optimisation profile that fits each batch, and returns the
// outputs in device memory on its CUDA stream. Built only where CMake finds
// TensorRT (TENSORRT_ROOT).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engines/engine.h"

namespace fasterbert::engines {

struct TensorRtEngineOptions {
  std::string model_path;  // .plan (serialized engine) or .onnx (built at load)
  EngineBinding binding;
  // The optimisation profile of an engine built from .onnx: batch 1..max_batch,
  // sequence 1..max_seq (a .plan carries its own profiles). The factory
  // sets the pipeline's maxBatchSize and the tokenizer's maxLength.
  int64_t onnx_max_batch = 64;
  int64_t onnx_max_seq = 512;
};

// Throws std::runtime_error naming the file or tensor at fault.
std::unique_ptr<Engine> MakeTensorRtEngine(const TensorRtEngineOptions& options);

}  // namespace fasterbert::engines
