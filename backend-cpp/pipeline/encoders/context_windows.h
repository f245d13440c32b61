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

// The pair template around question and context[range] into *out, as the
// tokenizer's post-processor lays out a pair (BERT: [CLS] q [SEP] c [SEP],
// XLM-R: <s> q </s></s> c </s>), with its type ids; offsets of context
// tokens as Tokenize gave them (question tokens and specials get (0, 0)).
// `question` and `context` are Tokenize's tokens, no specials. With
// `context_words` (TokenizeWords' words of `context`), out->words gets the
// context tokens' words and kNoWord elsewhere (QA widens answers only in
// the context); without, it stays empty. Returns the window position of
// the first context token.
size_t EncodeContextWindow(const std::vector<text::Token>& question,
                           const std::vector<text::Token>& context, ContextRange range,
                           const text::SpecialTemplate& specials, text::Encoding* out,
                           const std::vector<uint32_t>* context_words = nullptr);

}  // namespace fasterbert
