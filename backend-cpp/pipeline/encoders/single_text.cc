#include "pipeline/encoders/single_text.h"

#include <stdexcept>
#include <string>
#include <string_view>

#include "pipeline/encoders/prompted_text.h"

namespace fasterbert {

SingleTextEncoder::SingleTextEncoder(const PipelineSpec& spec, const text::Tokenizer& tokenizer,
                                     const engines::ShapeLimits& limits)
    : RowEncoder(spec, tokenizer, limits),
      truncation_(spec.tokenizer.truncation ? text::Truncation::kLongestFirst
                                            : text::Truncation::kDoNotTruncate) {}

void SingleTextEncoder::EncodeRow(const TextRow& row, text::Encoding* out) const {
  // One per tokenizer thread: EncodeRow runs on several at once.
  thread_local std::string prompted;
  const std::string_view text = PromptedText(PromptOf(spec_, 0), row.text, &prompted);
  try {
    tokenizer_.Encode(text, static_cast<size_t>(spec_.tokenizer.max_length), truncation_, out);
  } catch (const std::exception& e) {
    throw std::runtime_error("input '" + spec_.text_inputs.at(0) + "': " + e.what());
  }
}

}  // namespace fasterbert
