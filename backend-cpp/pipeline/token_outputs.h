// The entity outputs of a token classifier (NER): each engine row's
// per-token logits, the row's tokens (vocab strings and byte offsets from
// the tokenizer) and its text go to ops::DecodeTokenEntities; the entities
// become the JSON output and the typed ones (label ids, character offsets,
// scores, padded to the output's dim).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "engines/engine.h"
#include "pipeline/pipeline_spec.h"
#include "text/bert_tokenizer.h"

namespace fasterbert {

struct OutputValues;

class EntityCollector {
 public:
  EntityCollector(const PipelineSpec& spec, const text::BertTokenizer& tokenizer);

  // Row `row` of the batch: its encoding (one engine row, [CLS] ... [SEP]),
  // its text, and its logits at `logits` ([seq, num_labels], row-major).
  // Writes every wanted entity output of `outputs` (indexed like
  // spec.outputs) at the row's slots.
  void Collect(const text::Encoding& encoding, std::string_view text, const float* logits,
               size_t row, const std::vector<bool>& wanted, std::vector<OutputValues>* outputs);

 private:
  const PipelineSpec& spec_;
  const text::BertTokenizer& tokenizer_;
  std::vector<std::string_view> tokens_;  // vocab string by id
  std::vector<ops::TokenPiece> pieces_;   // scratch
};

}  // namespace fasterbert
