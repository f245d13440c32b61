#include "ops/answer_spans.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace fasterbert::ops {
namespace {

// Softmax over [CLS] and the context positions: probs[0] is [CLS], probs[1 + i]
// the i-th context token. Everything else in the window (question, [SEP],
// padding) takes no part, as if its logit were -inf.
void WindowProbabilities(const float* logits, const AnswerWindow& w, std::vector<double>* probs) {
  probs->assign(w.context_tokens + 1, 0.0);
  double max = logits[0];
  for (size_t i = 0; i < w.context_tokens; ++i) {
    max = std::max(max, static_cast<double>(logits[w.first_context + i]));
  }
  (*probs)[0] = std::exp(static_cast<double>(logits[0]) - max);
  double sum = (*probs)[0];
  for (size_t i = 0; i < w.context_tokens; ++i) {
    (*probs)[i + 1] = std::exp(static_cast<double>(logits[w.first_context + i]) - max);
    sum += (*probs)[i + 1];
  }
  for (double& p : *probs) p /= sum;
}

bool Better(const AnswerSpan& a, const AnswerSpan& b) {
  if (a.score != b.score) return a.score > b.score;
  if (a.is_null != b.is_null) return a.is_null;
  if (a.start_byte != b.start_byte) return a.start_byte < b.start_byte;
  return a.end_byte < b.end_byte;
}

}  // namespace

std::vector<AnswerSpan> DecodeAnswerSpans(const std::vector<AnswerWindow>& windows,
                                          const AnswerDecodeOptions& options) {
  // Best score per (start byte, end byte): overlapping windows see the same span.
  std::map<std::pair<uint32_t, uint32_t>, double> best;
  double null_score = std::numeric_limits<double>::infinity();
  std::vector<double> p_start, p_end;
  const size_t max_len = static_cast<size_t>(std::max(options.max_answer_length, 1));
  for (const AnswerWindow& w : windows) {
    WindowProbabilities(w.start_logits, w, &p_start);
    WindowProbabilities(w.end_logits, w, &p_end);
    null_score = std::min(null_score, p_start[0] * p_end[0]);
    for (size_t s = 0; s < w.context_tokens; ++s) {
      const size_t last = std::min(w.context_tokens, s + max_len);
      for (size_t e = s; e < last; ++e) {
        const double score = p_start[s + 1] * p_end[e + 1];
        const std::pair<uint32_t, uint32_t> span = {w.offsets[w.first_context + s].first,
                                                    w.offsets[w.first_context + e].second};
        auto [it, inserted] = best.emplace(span, score);
        if (!inserted) it->second = std::max(it->second, score);
      }
    }
  }

  std::vector<AnswerSpan> answers;
  answers.reserve(best.size() + 1);
  for (const auto& [span, score] : best) answers.push_back({score, false, span.first, span.second});
  if (options.null_answer && !windows.empty()) answers.push_back({null_score, true, 0, 0});
  const size_t keep = std::min(answers.size(), static_cast<size_t>(std::max(options.n_best, 0)));
  std::partial_sort(answers.begin(), answers.begin() + static_cast<std::ptrdiff_t>(keep),
                    answers.end(), Better);
  answers.resize(keep);
  return answers;
}

}  // namespace fasterbert::ops
