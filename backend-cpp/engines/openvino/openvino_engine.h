// OpenVINO on CPU: reads the ONNX model once per Triton model and compiles it
// with dynamic batch and sequence dims and one stream per instance; each
// instance gets its own infer request, fed zero-copy from the pipeline's
// packed host buffers.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engines/engine.h"

namespace fasterbert::engines {

struct OpenVinoEngineOptions {
  std::string model_path;
  std::string device = "CPU";
  int num_threads = 0;  // per stream; 0: OpenVINO's default
  // Infer requests that run at once, each on its share of the cores: one per
  // Triton instance. 1: PERFORMANCE_HINT LATENCY, one request at a time on
  // every core; more: THROUGHPUT with that many streams.
  int streams = 1;
  // Threads of all streams together, over num_threads (config.pbtxt's
  // INFERENCE_NUM_THREADS); 0: num_threads per stream.
  int total_threads = 0;
  // Whether OpenVINO pins its threads to cores; empty: its default.
  std::optional<bool> cpu_pinning = std::nullopt;
  // "f32", or "bf16" where the CPU has BF16 (else f32, with a warning on stderr).
  std::string inference_precision = "f32";
  // An int8 model's FP32 original, loaded instead where the CPU has no int8
  // dot-product instructions (int8_fallback.h); empty: none.
  std::string int8_fallback_model_path;
  EngineBinding binding;
};

// Throws std::runtime_error naming the file or tensor when the model cannot
// be read, lacks a named tensor, or an output's rank or width is not the
// expected one.
std::unique_ptr<Engine> MakeOpenVinoEngine(const OpenVinoEngineOptions& options);

}  // namespace fasterbert::engines
