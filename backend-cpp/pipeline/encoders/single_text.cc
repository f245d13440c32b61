#include "pipeline/encoders/single_text.h"

#include <stdexcept>
#include <string>

namespace fasterbert {

SingleTextEncoder::SingleTextEncoder(const PipelineSpec& spec, const text::Tokenizer& tokenizer,
                                     const engines::ShapeLimits& limits)
    : RowEncoder(spec, tokenizer, limits),
      truncation_(spec.tokenizer.truncation ? text::Truncation::kLongestFirst
                                            : text::Truncation::kDoNotTruncate) {}

void SingleTextEncoder::EncodeRow(const TextRow& row, text::Encoding* out) const {
  try {
    tokenizer_.Encode(row.text, static_cast<size_t>(spec_.tokenizer.max_length), truncation_, out);
  } catch (const std::exception& e) {
    throw std::runtime_error("input '" + spec_.text_inputs.at(0) + "': " + e.what());
  }
}

}  // namespace fasterbert
