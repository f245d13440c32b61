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

// build_shape is read only by engines that may not be compiled in.
std::unique_ptr<Engine> MakeEngine(const EngineSpec& spec,
                                   [[maybe_unused]] const EngineBuildShape& build_shape,
                                   const std::string& version_dir) {
  const std::string model_path = version_dir + "/" + spec.model_file;
  const EngineBinding binding{spec.input_ids, spec.attention_mask, spec.token_type_ids,
                              LayoutEngineOutputs(spec).outputs};
  switch (spec.kind) {
    case EngineKind::kOpenVino: {
#if FASTERBERT_WITH_OPENVINO
      OpenVinoEngineOptions options;
      options.model_path = model_path;
      options.device = spec.device;
      options.num_threads = spec.num_threads;
      options.streams = build_shape.sessions;
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
      options.onnx_max_batch = build_shape.max_batch;
      options.onnx_max_seq = build_shape.max_sequence;
      return MakeTensorRtEngine(options);
#else
      NotBuiltIn("TensorRT", "configure backend-cpp with TENSORRT_ROOT set to a TensorRT install");
#endif
    }
  }
  throw std::runtime_error("unknown engine kind");
}

}  // namespace fasterbert::engines
