// kQueryPassages: one engine row per (query, passage) pair, encoded as HF
// tokenizers encodes a pair with truncation="only_second": only the passage
// is cut to fit max_length; a query that leaves the passage no room is an
// error for its request.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "text/bert_tokenizer.h"

namespace fasterbert {

// [CLS] query [SEP] passage [SEP], type ids 1 from the passage on. Throws
// std::runtime_error naming the input at fault.
void EncodeQueryPassage(const text::BertTokenizer& tokenizer, std::string_view query,
                        std::string_view passage, size_t max_length,
                        const std::string& query_input, const std::string& passages_input,
                        text::Encoding* out);

}  // namespace fasterbert
