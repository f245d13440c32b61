// Where an int8 model runs slower than its FP32 original: OpenVINO's int8
// kernels beat f32 on CPUs with int8 dot-product instructions (AVX-512 VNNI,
// AVX-VNNI; AMX CPUs have VNNI too). On an AVX2-only CPU the int8
// all-MiniLM-L6-v2 served 0.77x the f32 model's throughput
// (bench/reports/2026-12-04-cpu-precision-3.md), so there an int8 pipeline
// loads the FP32 model the repository carries beside it, as a bf16 one
// computes in f32 on a CPU without BF16.
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

// The model file the engine loads: options.model_path, or its FP32
// fallback where the CPU has no int8 dot products and a fallback is given.
const std::string& ModelPathToLoad(const OpenVinoEngineOptions& options, bool cpu_has_int8_dot_product);

}  // namespace fasterbert::engines
