#include "ops/answer_spans.h"

#include <algorithm>
#include <cmath>
#include <limits>

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

// Best first; NaN scores (from NaN logits) after every number, so this stays an ordering.
bool Better(const AnswerSpan& a, const AnswerSpan& b) {
  const bool a_nan = std::isnan(a.score);
  if (a_nan != std::isnan(b.score)) return !a_nan;
  if (!a_nan && a.score != b.score) return a.score > b.score;
  if (a.is_null != b.is_null) return a.is_null;
  if (a.start_byte != b.start_byte) return a.start_byte < b.start_byte;
  return a.end_byte < b.end_byte;
}

// The n best distinct spans seen so far, each with its best score: a span
// that drops out can only come back with a better score than it had, so
// keeping n is enough and the memory stays O(n) however long the context.
class BestSpans {
 public:
  explicit BestSpans(size_t n) : n_(n) { spans_.reserve(n + 1); }

  void Offer(uint32_t start_byte, uint32_t end_byte, double score) {
    if (n_ == 0) return;
    const AnswerSpan candidate{score, false, start_byte, end_byte};
    // Most candidates lose to the worst kept one; so would a kept span's
    // weaker repeat, since a kept span ranks at or above the worst.
    if (spans_.size() == n_ && !Better(candidate, spans_[worst_])) return;
    for (AnswerSpan& kept : spans_) {
      if (kept.start_byte == start_byte && kept.end_byte == end_byte) {
        if (Better(candidate, kept)) kept.score = score, worst_ = Worst();
        return;
      }
    }
    if (spans_.size() < n_) {
      spans_.push_back(candidate);
      worst_ = Worst();
    } else if (Better(candidate, spans_[worst_])) {
      spans_[worst_] = candidate;
      worst_ = Worst();
    }
  }

  std::vector<AnswerSpan> Take() { return std::move(spans_); }

 private:
  size_t Worst() const {
    size_t worst = 0;
    for (size_t i = 1; i < spans_.size(); ++i) {
      if (Better(spans_[worst], spans_[i])) worst = i;
    }
    return worst;
  }

  size_t n_;
  std::vector<AnswerSpan> spans_;
  size_t worst_ = 0;
};

}  // namespace

std::vector<AnswerSpan> DecodeAnswerSpans(const std::vector<AnswerWindow>& windows,
                                          const AnswerDecodeOptions& options) {
  const size_t n_best = static_cast<size_t>(std::max(options.n_best, 0));
  BestSpans best(n_best);
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
        best.Offer(w.offsets[w.first_context + s].first, w.offsets[w.first_context + e].second,
                   p_start[s + 1] * p_end[e + 1]);
      }
    }
  }

  std::vector<AnswerSpan> answers = best.Take();
  if (options.null_answer && !windows.empty()) answers.push_back({null_score, true, 0, 0});
  std::sort(answers.begin(), answers.end(), Better);
  answers.resize(std::min(answers.size(), n_best));
  return answers;
}

}  // namespace fasterbert::ops
