// EncodingKind::kQueryPassages and kQueryPassagePerRow: one engine row per
// (query, passage) text row, encoded as HF tokenizers encodes a pair with
// truncation="only_second": [CLS] query [SEP] passage [SEP], type ids 1 from
// the passage on, only the passage cut to fit maxLength; a query that leaves
// the passage no room is an error for its request.
#pragma once

#include "pipeline/encoders/row_encoder.h"

namespace fasterbert {

class QueryPassagesEncoder final : public RowEncoder {
 public:
  QueryPassagesEncoder(const PipelineSpec& spec, const text::Tokenizer& tokenizer,
                       const engines::ShapeLimits& limits);

 private:
  // Throws std::runtime_error naming the input at fault.
  void EncodeRow(const TextRow& row, text::Encoding* out) const override;
};

}  // namespace fasterbert
