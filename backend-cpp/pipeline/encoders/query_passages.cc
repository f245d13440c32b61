#include "pipeline/encoders/query_passages.h"

#include <stdexcept>
#include <string>
#include <string_view>

#include "pipeline/encoders/prompted_text.h"
#include "text/errors.h"
#include "text/utf8.h"

namespace fasterbert {

QueryPassagesEncoder::QueryPassagesEncoder(const PipelineSpec& spec,
                                           const text::Tokenizer& tokenizer,
                                           const engines::ShapeLimits& limits)
    : RowEncoder(spec, tokenizer, limits) {}

void QueryPassagesEncoder::EncodeRow(const TextRow& row, text::Encoding* out) const {
  const size_t max_length = static_cast<size_t>(spec_.tokenizer.max_length);
  const std::string& query_input = spec_.text_inputs.at(0);
  // One pair per tokenizer thread: EncodeRow runs on several at once.
  thread_local std::string prompted_query;
  thread_local std::string prompted_passage;
  const std::string_view query = PromptedText(PromptOf(spec_, 0), row.text, &prompted_query);
  const std::string_view passage = PromptedText(PromptOf(spec_, 1), row.second, &prompted_passage);
  try {
    tokenizer_.EncodePair(query, passage, max_length, text::Truncation::kOnlySecond, out);
  } catch (const text::InvalidTextError& e) {
    // The tokenizer says "first/second text"; name the request's input instead.
    const std::string& input =
        text::FindInvalidUtf8(row.text) ? query_input : spec_.text_inputs.at(1);
    throw std::runtime_error("input '" + input + "': " + e.what());
  } catch (const text::TextTooLongError& e) {
    throw std::runtime_error("input '" + query_input +
                             "' is too long for this model's maxLength " +
                             std::to_string(max_length) +
                             " (only the passage is truncated): " + e.what() +
                             "; send a shorter query");
  }
}

}  // namespace fasterbert
