// Extractive QA decoding: the best answer spans of one question over the
// windows its context was cut into. Per window, start and end logits become
// probabilities by a softmax over the context tokens and [CLS] (position 0);
// a span's score is p_start(s) * p_end(e), with s <= e < s + max_answer_length
// and both inside the window's context. The null answer's score is the
// smallest p_start([CLS]) * p_end([CLS]) over the windows (SQuAD v2, as HF's
// question-answering pipeline does it). A span found in several overlapping
// windows is one answer, with its best score.
#pragma once

#include <cstddef>
#include <cstdint>
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
};

// At most n_best answers, best first; ties go to the earlier span.
std::vector<AnswerSpan> DecodeAnswerSpans(const std::vector<AnswerWindow>& windows,
                                          const AnswerDecodeOptions& options);

}  // namespace fasterbert::ops
