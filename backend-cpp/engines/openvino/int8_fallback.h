// Where an int8 model should not run, so that the FP32 original the
// repository carries beside it loads instead (computed in bf16 where the CPU
// has BF16, in f32 elsewhere, as the pipeline's float parts would be): CPUs
// without int8 dot-product instructions (AVX-512 VNNI, AVX-VNNI), where
// OpenVINO's int8 kernels run slower than f32; on an AVX2-only CPU the int8
// all-MiniLM-L6-v2 served 0.77x the f32 model's throughput
// (bench/reports/2026-12-04-cpu-precision-3.md). AMX CPUs run it: the
// quantizer keeps the attention's activation products in floating point,
// whose int8 form lost accuracy there
// (bench/reports/2026-12-05-cpu-int8-amx-attention.md).
#pragma once

#include <string>

#include "engines/openvino/openvino_engine.h"

namespace fasterbert::engines {

// Set to "1" or "0", this environment variable overrides the detection
// (a VM may hide the CPU's flags; tests serve both paths on one machine).
inline constexpr const char* kInt8DotProductEnv = "FASTERBERT_CPU_INT8_DOT_PRODUCT";

// Whether this CPU has int8 dot-product instructions, or what
// kInt8DotProductEnv says. Throws std::runtime_error on another value there.
bool CpuHasInt8DotProduct();

// Why an int8 model should not run on this CPU (a clause for the server
// log), or "" where it should.
std::string Int8FallbackReason(bool cpu_has_int8_dot_product);

// The model file the engine loads: options.model_path, or its FP32
// fallback where Int8FallbackReason gives one and a fallback is given.
const std::string& ModelPathToLoad(const OpenVinoEngineOptions& options, bool cpu_has_int8_dot_product);

}  // namespace fasterbert::engines
