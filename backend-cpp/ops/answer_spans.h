// Extractive QA decoding: the best answers of one question over the windows
// its context was cut into, as HF's question-answering pipeline ranks them.
// Per window, start and end logits become probabilities by a softmax over the
// context tokens and [CLS] (position 0); a span's score is
// p_start(s) * p_end(e), with s <= e < s + max_answer_length and both inside
// the window's context; each window offers its n_best spans. An offered span
// whose text equals (ignoring case) an answer already found adds its score to
// that answer, which keeps the offsets it was found with first (HF's
// pipeline does the same, so a text repeated in the context or seen by two
// overlapping windows is one answer). The null answer's score is the smallest
// p_start([CLS]) * p_end([CLS]) over the windows (SQuAD v2). Offsets are
// the span's tokens', or with align_to_words their words' (the text that is
// compared is then the words').
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace fasterbert::ops {

struct AnswerWindow {
  const float* start_logits = nullptr;  // [window length]
  const float* end_logits = nullptr;
  size_t first_context = 0;   // window position of the first context token
  size_t context_tokens = 0;  // how many context tokens follow it
  // Per window position: [start, end) bytes of the token in the context.
  const std::pair<uint32_t, uint32_t>* offsets = nullptr;
  // Per window position: the word of the token (text::Encoding::words), or
  // nullptr: answers then keep their tokens' offsets.
  const uint32_t* words = nullptr;
};

struct AnswerSpan {
  double score = 0.0;
  bool is_null = false;  // the empty answer
  uint32_t start_byte = 0;
  uint32_t end_byte = 0;
};

struct AnswerDecodeOptions {
  int n_best = 1;
  int max_answer_length = 30;
  bool null_answer = false;  // let the empty answer compete
  // Widen a span to the whole words of its start and end tokens (HF's
  // align_to_words, its default): from the first token of the start
  // token's word to the last of the end token's, among the window's context
  // tokens (HF's word_to_chars on the window's encoding). Needs words.
  bool align_to_words = false;
};

// What makes two spans the same answer: equal keys. The caller knows the
// context's text (HF's pipeline compares the answers' lowercased texts).
using AnswerKey = std::function<std::string(uint32_t start_byte, uint32_t end_byte)>;

// At most n_best answers, best first; equal scores keep the order the
// answers were found in (window by window, each window's best first), and
// the null answer comes after the spans it ties with.
std::vector<AnswerSpan> DecodeAnswerSpans(const std::vector<AnswerWindow>& windows,
                                          const AnswerDecodeOptions& options,
                                          const AnswerKey& key);

}  // namespace fasterbert::ops
