// The contract between codegen and the C++ runtime: codegen renders one
// function, MakePipelineSpec(), that fills this struct with the pipeline's
// constants; the runtime never sees TypeScript or the IR JSON.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace fasterbert {

struct TokenizerSpec {
  std::string vocab_file;  // relative to the model version directory
  bool clean_text = true;
  bool handle_chinese_chars = true;
  bool lowercase = true;
  bool strip_accents = true;  // already resolved: follows lowercase unless set
  std::string unk_token = "[UNK]";
  std::string cls_token = "[CLS]";
  std::string sep_token = "[SEP]";
  std::string pad_token = "[PAD]";
  std::string continuing_subword_prefix = "##";
  int max_input_chars_per_word = 100;
  int max_length = 512;   // including [CLS] and [SEP]
  bool truncation = true; // false: an over-long text is an error for its request
};

enum class EngineKind { kOpenVino };

struct EngineSpec {
  EngineKind kind = EngineKind::kOpenVino;
  std::string model_file;  // relative to the model version directory
  std::string device = "CPU";
  int num_threads = 0;     // 0: the engine's default
  // Names of the engine's tensors; token_type_ids is empty when the model
  // takes no such input.
  std::string input_ids;
  std::string attention_mask;
  std::string token_type_ids;
  std::string token_embeddings;  // output [B, S, hidden]
  int hidden_size = 0;
};

enum class PostOp { kMeanPool, kClsPool, kMaxPool, kL2Normalize };

struct OutputSpec {
  std::string name;
  int dim = 0;  // FP32 [dim] per batch row
};

struct PipelineSpec {
  std::string name;
  std::string text_input;  // BYTES, dims [1]: one string per batch row
  bool allow_empty_text = false;
  int max_text_bytes = 1 << 20;  // larger texts are rejected per request
  int max_batch_size = 0;
  TokenizerSpec tokenizer;
  EngineSpec engine;
  std::vector<PostOp> post_ops;  // applied in order to the engine output
  OutputSpec output;
};

// Defined by the generated code of each pipeline.
PipelineSpec MakePipelineSpec();

}  // namespace fasterbert
