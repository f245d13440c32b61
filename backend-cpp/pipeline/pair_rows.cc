#include "pipeline/pair_rows.h"

#include <stdexcept>
#include <string>

#include "text/errors.h"
#include "text/utf8.h"

namespace fasterbert {

void EncodeQueryPassage(const text::BertTokenizer& tokenizer, std::string_view query,
                        std::string_view passage, size_t max_length,
                        const std::string& query_input, const std::string& passages_input,
                        text::Encoding* out) {
  try {
    tokenizer.EncodePair(query, passage, max_length, text::Truncation::kOnlySecond, out);
  } catch (const text::InvalidTextError& e) {
    // The tokenizer says "first/second text"; name the request's input instead.
    const std::string& input = text::FindInvalidUtf8(query) ? query_input : passages_input;
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
