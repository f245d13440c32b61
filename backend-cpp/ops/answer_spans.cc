#include "ops/answer_spans.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

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

// Higher score first; NaN scores (from NaN logits) after every number, so
// this stays an ordering. Equal scores are left to the caller's order.
bool HigherScore(double a, double b) {
  const bool a_nan = std::isnan(a);
  if (a_nan != std::isnan(b)) return !a_nan;
  return !a_nan && a > b;
}

// A window's candidate: context token positions and score.
struct Candidate {
  double score;
  size_t start, end;
};

// The window's n best spans, best first (equal scores: the earlier span).
// Kept in a sorted list of at most n, so the scratch stays O(n).
void WindowBest(const AnswerWindow& w, const std::vector<double>& p_start,
                const std::vector<double>& p_end, size_t n, size_t max_len,
                std::vector<Candidate>* best) {
  best->clear();
  if (n == 0) return;
  for (size_t s = 0; s < w.context_tokens; ++s) {
    const size_t last = std::min(w.context_tokens, s + max_len);
    for (size_t e = s; e < last; ++e) {
      const Candidate c{p_start[s + 1] * p_end[e + 1], s, e};
      if (best->size() == n && !HigherScore(c.score, best->back().score)) continue;
      // Spans come in (s, e) order, so after its equals is where a new one goes.
      const auto at = std::upper_bound(best->begin(), best->end(), c,
                                       [](const Candidate& a, const Candidate& b) {
                                         return HigherScore(a.score, b.score);
                                       });
      best->insert(at, c);
      if (best->size() > n) best->pop_back();
    }
  }
}

// Context positions [first, last] of the window widened to whole words:
// back while the previous context token is of the start token's word,
// forward while the next is of the end token's.
std::pair<size_t, size_t> WordSpan(const AnswerWindow& w, size_t start, size_t end) {
  const uint32_t* words = w.words + w.first_context;
  while (start > 0 && words[start - 1] == words[start]) --start;
  while (end + 1 < w.context_tokens && words[end + 1] == words[end]) ++end;
  return {start, end};
}

}  // namespace

std::vector<AnswerSpan> DecodeAnswerSpans(const std::vector<AnswerWindow>& windows,
                                          const AnswerDecodeOptions& options,
                                          const AnswerKey& key) {
  const size_t n_best = static_cast<size_t>(std::max(options.n_best, 0));
  const size_t max_len = static_cast<size_t>(std::max(options.max_answer_length, 1));
  double null_score = std::numeric_limits<double>::infinity();
  // The answers in the order they were found, with their keys: at most
  // n_best per window (maxWindows bounds the windows).
  std::vector<AnswerSpan> answers;
  std::vector<std::string> keys;
  std::vector<double> p_start, p_end;
  std::vector<Candidate> best;
  for (const AnswerWindow& w : windows) {
    WindowProbabilities(w.start_logits, w, &p_start);
    WindowProbabilities(w.end_logits, w, &p_end);
    null_score = std::min(null_score, p_start[0] * p_end[0]);
    WindowBest(w, p_start, p_end, n_best, max_len, &best);
    for (const Candidate& c : best) {
      const auto [first, last] = options.align_to_words && w.words != nullptr
                                     ? WordSpan(w, c.start, c.end)
                                     : std::pair<size_t, size_t>(c.start, c.end);
      const uint32_t start_byte = w.offsets[w.first_context + first].first;
      const uint32_t end_byte = w.offsets[w.first_context + last].second;
      std::string k = key(start_byte, end_byte);
      const auto same = std::find(keys.begin(), keys.end(), k);
      if (same != keys.end()) {
        answers[static_cast<size_t>(same - keys.begin())].score += c.score;
      } else {
        answers.push_back({c.score, false, start_byte, end_byte});
        keys.push_back(std::move(k));
      }
    }
  }

  if (options.null_answer && !windows.empty()) answers.push_back({null_score, true, 0, 0});
  std::stable_sort(answers.begin(), answers.end(), [](const AnswerSpan& a, const AnswerSpan& b) {
    return HigherScore(a.score, b.score);
  });
  answers.resize(std::min(answers.size(), n_best));
  return answers;
}

}  // namespace fasterbert::ops
