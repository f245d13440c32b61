// Runs one dynamic batch of texts through tokenize -> pack -> engine ->
// pooling/normalize. Owns per-row error isolation: a bad row gets its own
// error and is left out of the engine call; the other rows go on.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engines/engine.h"
#include "pipeline/pipeline_spec.h"
#include "text/bert_tokenizer.h"

namespace fasterbert {

struct BatchResult {
  std::vector<std::string> errors;  // per row; empty string: the row succeeded
  std::vector<float> embeddings;    // [rows, output dim]; rows with an error are zero
};

class EmbeddingPipeline {
 public:
  EmbeddingPipeline(const PipelineSpec& spec, const text::BertTokenizer& tokenizer,
                    std::unique_ptr<engines::EngineSession> session);

  // All good rows go through one engine call. Not thread-safe: one pipeline
  // per model instance.
  void Run(const std::vector<std::string_view>& rows, BatchResult* result);

 private:
  std::string CheckRow(std::string_view row) const;
  void Pack(const std::vector<size_t>& good_rows);
  void PostProcess(const ops::TokenEmbeddingsView& hidden, const std::vector<size_t>& good_rows,
                   BatchResult* result);

  const PipelineSpec& spec_;
  const text::BertTokenizer& tokenizer_;
  std::unique_ptr<engines::EngineSession> session_;
  text::Truncation truncation_;
  // Scratch reused across batches so steady-state serving does not allocate.
  std::vector<text::Encoding> encodings_;
  std::vector<int64_t> input_ids_, attention_mask_, token_type_ids_;
  std::vector<float> pooled_;
  int64_t packed_seq_ = 0;
};

}  // namespace fasterbert
