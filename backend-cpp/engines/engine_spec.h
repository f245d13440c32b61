// Which engine a pipeline runs and how its tensors are named: the part of the
// pipeline spec the engines read, so the engines library needs nothing of the
// pipeline.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace fasterbert::engines {

enum class EngineKind {
  kOpenVino,     // ONNX on CPU through OpenVINO
  kAotInductor,  // a LibTorch AOTInductor package (.pt2) on a GPU
  kTensorRt,     // a TensorRT engine (.plan), or an ONNX model TensorRT builds at load
};

struct EngineSpec {
  EngineKind kind = EngineKind::kOpenVino;
  std::string model_file;  // relative to the model version directory
  std::string device = "CPU";
  int num_threads = 0;     // 0: the engine's default
  // OpenVINO: "f32" or "bf16" (where the CPU has BF16, else f32); for an
  // int8 model it is the precision of its float parts.
  std::string inference_precision = "f32";
  // OpenVINO int8: the FP32 model file loaded instead where the CPU has no
  // int8 dot-product instructions (engines/openvino/int8_fallback.h); empty: none.
  std::string int8_fallback_model_file;
  // What one call of a compiled engine takes, from its signature file (an
  // AOTInductor export's dynamic dims, a TensorRT plan's profile); 0: not stated.
  int max_batch = 0;
  int max_sequence = 0;
  // Engines that take and return tensors by position (AOTInductor): the
  // model's input and output names in that order, from its signature file.
  std::vector<std::string> input_order;
  std::vector<std::string> output_order;
  // AOTInductor: replay calls as CUDA graphs per shape bucket, those of at
  // most cuda_graph_max_tokens tokens of work (0: all).
  bool cuda_graphs = true;
  int64_t cuda_graph_max_tokens = 0;
  // Names of the engine's tensors; token_type_ids is empty when the model
  // takes no such input.
  std::string input_ids;
  std::string attention_mask;
  std::string token_type_ids;
  // The outputs the pipeline reads; a name is empty when nothing uses it.
  std::string token_embeddings;  // FP32 [B, S, hidden_size]
  int hidden_size = 0;
  std::string logits;            // FP32 [B, num_labels]
  int num_labels = 0;
  std::string start_logits;      // FP32 [B, S]
  std::string end_logits;        // FP32 [B, S]
  std::string token_logits;      // FP32 [B, S, num_token_labels]: a token classifier's
  int num_token_labels = 0;
};

// What an engine is built for at load, beyond its spec: the pipeline's max
// batch size and max length (an ONNX model for TensorRT), how many instances
// will open a session and run at once (Triton's instance_group count: OpenVINO
// gives each its own stream), and the deployment's OpenVINO tuning from
// config.pbtxt (triton/config_check.h), which needs no new build.
struct EngineLoadSettings {
  int max_batch = 0;
  int max_sequence = 0;
  int sessions = 1;
  // OpenVINO: threads of all sessions together; 0: the spec's num_threads
  // per session, or OpenVINO's default where that is 0 too.
  int inference_num_threads = 0;
  // OpenVINO: whether its threads are pinned to cores; empty: its default.
  std::optional<bool> cpu_pinning = std::nullopt;
};

}  // namespace fasterbert::engines
