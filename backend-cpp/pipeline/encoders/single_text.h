// EncodingKind::kSingleText: [CLS] text [SEP], one engine row per text row,
// cut to maxLength (or an error for its request when truncation is off).
#pragma once

#include "pipeline/encoders/row_encoder.h"

namespace fasterbert {

class SingleTextEncoder final : public RowEncoder {
 public:
  SingleTextEncoder(const PipelineSpec& spec, const text::Tokenizer& tokenizer,
                    const engines::ShapeLimits& limits);

 private:
  void EncodeRow(const TextRow& row, text::Encoding* out) const override;

  const text::Truncation truncation_;
};

}  // namespace fasterbert
