#include "engines/engine_factory.h"

#include <stdexcept>

#include "engines/engine_output_layout.h"

#if FASTERBERT_WITH_OPENVINO
#include "engines/openvino/openvino_engine.h"
#endif
#if FASTERBERT_WITH_TORCH
#include "engines/torch/aot_inductor_engine.h"
#endif
#if FASTERBERT_WITH_TENSORRT
#include "engines/tensorrt/tensorrt_engine.h"
#endif

namespace fasterbert::engines {
namespace {

[[noreturn]] void NotBuiltIn(const char* engine, const char* how) {
  throw std::runtime_error(std::string("this backend was built without the ") + engine +
                           " engine; " + how);
}

}  // namespace

std::unique_ptr<Engine> MakeEngine(const EngineSpec& spec, const EngineLoadSettings& load,
                                   const std::string& version_dir) {
  const std::string model_path = version_dir + "/" + spec.model_file;
  const EngineBinding binding{spec.input_ids, spec.attention_mask, spec.token_type_ids,
                              LayoutEngineOutputs(spec).outputs};
  if (spec.kind != EngineKind::kOpenVino && (load.inference_num_threads > 0 || load.cpu_pinning)) {
    throw std::runtime_error(
        "config.pbtxt parameters INFERENCE_NUM_THREADS and ENABLE_CPU_PINNING tune the OpenVINO "
        "engine, and this pipeline's engine is another: remove them");
  }
  if (load.inference_num_threads > 0 && load.inference_num_threads < load.sessions) {
    throw std::runtime_error("config.pbtxt parameter INFERENCE_NUM_THREADS is " +
                             std::to_string(load.inference_num_threads) + ", fewer than the " +
                             std::to_string(load.sessions) +
                             " instances: each instance's OpenVINO stream needs a thread of its own");
  }
  switch (spec.kind) {
    case EngineKind::kOpenVino: {
#if FASTERBERT_WITH_OPENVINO
      OpenVinoEngineOptions options;
      options.model_path = model_path;
      options.device = spec.device;
      options.num_threads = spec.num_threads;
      options.streams = load.sessions;
      options.total_threads = load.inference_num_threads;
      options.cpu_pinning = load.cpu_pinning;
      options.inference_precision = spec.inference_precision;
      if (!spec.int8_fallback_model_file.empty()) {
        options.int8_fallback_model_path = version_dir + "/" + spec.int8_fallback_model_file;
      }
      options.binding = binding;
      return MakeOpenVinoEngine(options);
#else
      NotBuiltIn("OpenVINO", "configure backend-cpp with OpenVINO_DIR pointing at its cmake folder");
#endif
    }
    case EngineKind::kAotInductor: {
#if FASTERBERT_WITH_TORCH
      AotInductorEngineOptions options;
      options.package_path = model_path;
      options.input_order = spec.input_order;
      options.output_order = spec.output_order;
      options.binding = binding;
      options.limits = {spec.max_batch, spec.max_sequence};
      options.cuda_graphs = spec.cuda_graphs;
      options.graph_max_tokens = spec.cuda_graph_max_tokens;
      return MakeAotInductorEngine(options);
#else
      NotBuiltIn("LibTorch AOTInductor",
                 "configure backend-cpp with CMAKE_PREFIX_PATH holding "
                 "torch.utils.cmake_prefix_path on a machine with CUDA");
#endif
    }
    case EngineKind::kTensorRt: {
#if FASTERBERT_WITH_TENSORRT
      TensorRtEngineOptions options;
      options.model_path = model_path;
      options.binding = binding;
      options.onnx_max_batch = load.max_batch;
      options.onnx_max_seq = load.max_sequence;
      return MakeTensorRtEngine(options);
#else
      NotBuiltIn("TensorRT", "configure backend-cpp with TENSORRT_ROOT set to a TensorRT install");
#endif
    }
  }
  throw std::runtime_error("unknown engine kind");
}

}  // namespace fasterbert::engines
