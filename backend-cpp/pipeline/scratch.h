// Scratch a large batch grew is given back after it: the loop, its encoder
// and its heads each keep at most what a full ordinary batch needs, so one
// hostile batch does not pin its memory for the life of the instance.
#pragma once

#include <algorithm>
#include <cstddef>
#include <type_traits>

#include "pipeline/pipeline_spec.h"
#include "text/bert_tokenizer.h"

namespace fasterbert {

// A full ordinary batch: max_batch_size rows (or 64) of maxLength tokens.
struct ScratchBudget {
  size_t rows = 0;
  size_t row_tokens = 0;  // one engine row
  size_t tokens = 0;      // the whole batch

  static ScratchBudget Of(const PipelineSpec& spec) {
    ScratchBudget budget;
    budget.rows = std::max<size_t>(64, static_cast<size_t>(std::max(spec.max_batch_size, 0)));
    budget.row_tokens = static_cast<size_t>(std::max(spec.tokenizer.max_length, 1));
    budget.tokens = budget.rows * budget.row_tokens;
    return budget;
  }
};

// Frees `scratch` (a std::vector) when it holds room for more than `keep`
// elements; returns whether it did.
template <typename Vector>
bool TrimScratchTo(Vector& scratch, size_t keep) {
  if (scratch.capacity() <= keep) return false;
  Vector().swap(scratch);
  return true;
}

inline bool TrimEncoding(text::Encoding& encoding, size_t keep) {
  bool trimmed = TrimScratchTo(encoding.ids, keep);
  trimmed = TrimScratchTo(encoding.type_ids, keep) || trimmed;
  trimmed = TrimScratchTo(encoding.attention_mask, keep) || trimmed;
  trimmed = TrimScratchTo(encoding.offsets, keep) || trimmed;
  return trimmed;
}

}  // namespace fasterbert
