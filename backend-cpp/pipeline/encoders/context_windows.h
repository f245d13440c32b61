// Extractive QA's engine rows: a long context is cut into windows that fit
// beside the question, as HF tokenizers' overflow makes them with
// truncation "only_second" and a stride.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "text/tokenizer.h"

namespace fasterbert {

// Context tokens [begin, end) of one window.
struct ContextRange {
  size_t begin = 0;
  size_t end = 0;
};

// Windows of at most `room` tokens over `context_tokens` tokens; each starts
// room - stride after the previous one, and the first that reaches the end
// is the last. An empty context still gets one (empty) window. Needs
// stride < room.
std::vector<ContextRange> ContextWindowRanges(size_t context_tokens, size_t room, size_t stride);

// [CLS] question [SEP] context[range] [SEP] into *out, type ids 1 from the
// context on, offsets of context tokens as the context's encoding has them
// (question tokens and specials get (0, 0)). `question` and `context` are
// whole encodings, [CLS] ... [SEP] each. Returns the window position of the
// first context token.
size_t EncodeContextWindow(const text::Encoding& question, const text::Encoding& context,
                           ContextRange range, int32_t cls_id, int32_t sep_id,
                           text::Encoding* out);

}  // namespace fasterbert
