// Builds a TensorRT plan from an ONNX model at load, on the current GPU.
// Needs TensorRT's builder and ONNX parser (libnvinfer, libnvonnxparser);
// a backend linked with the lean runtime alone loads plans only
// (tensorrt.cmake).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace fasterbert::engines::tensorrt {

// One optimisation profile over batch 1..max_batch and sequence 1..max_seq.
// TensorRT 10: FP16 with the LayerNorm layers and the outputs kept in FP32.
// TensorRT 11 networks are strongly typed (the builder's precision flags are
// gone): the plan computes in the types the ONNX file declares, so an FP16
// plan comes from an FP16 export whose LayerNorm and outputs stay FP32.
// Throws std::runtime_error naming the file.
std::vector<char> BuildPlanFromOnnx(const std::string& path, int64_t max_batch, int64_t max_seq);

}  // namespace fasterbert::engines::tensorrt
