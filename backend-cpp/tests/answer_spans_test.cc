// QA span decoding: probabilities per window, max answer length, spans seen
// by two windows counted once, the null answer's score.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <utility>
#include <vector>

#include "ops/answer_spans.h"

namespace fasterbert::ops {
namespace {

// Window layout: [CLS] q [SEP] c0 c1 c2 [SEP]; context token i covers bytes [10i, 10i + 5).
struct TestWindow {
  std::vector<float> start, end;
  std::vector<std::pair<uint32_t, uint32_t>> offsets;
  AnswerWindow View(uint32_t first_token) {
    offsets.assign(7, {0, 0});
    for (uint32_t i = 0; i < 3; ++i) offsets[3 + i] = {10 * (first_token + i), 10 * (first_token + i) + 5};
    return {start.data(), end.data(), 3, 3, offsets.data()};
  }
};

TEST(AnswerSpansTest, ScoresAreProductsOfWindowProbabilities) {
  TestWindow w{{0, 9, 9, 2, 0, 0, 9}, {0, 9, 9, 0, 0, 3, 9}, {}};
  const auto answers = DecodeAnswerSpans({w.View(0)}, {2, 30, true});
  // Softmax over [CLS] and the context only: question and [SEP] logits of 9 take no part.
  const double ps = std::exp(2.0) / (1 + std::exp(2.0) + 2);
  const double pe = std::exp(3.0) / (1 + 2 + std::exp(3.0));
  ASSERT_EQ(answers.size(), 2u);
  EXPECT_NEAR(answers[0].score, ps * pe, 1e-12);
  EXPECT_EQ(answers[0].start_byte, 0u);
  EXPECT_EQ(answers[0].end_byte, 25u);
  EXPECT_FALSE(answers[0].is_null);
}

TEST(AnswerSpansTest, MaxAnswerLengthAndNull) {
  TestWindow w{{5, 0, 0, 2, 0, 0, 0}, {5, 0, 0, 0, 0, 3, 0}, {}};
  const auto answers = DecodeAnswerSpans({w.View(0)}, {1, 2, true});
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_TRUE(answers[0].is_null);  // [CLS] wins; the long span is not allowed anyway
  const auto spans = DecodeAnswerSpans({w.View(0)}, {10, 2, false});
  for (const auto& span : spans) EXPECT_LE(span.end_byte - span.start_byte, 15u);
}

TEST(AnswerSpansTest, OverlappingWindowsGiveOneAnswerWithItsBestScore) {
  TestWindow a{{0, 0, 0, 0, 0, 4, 0}, {0, 0, 0, 0, 0, 4, 0}, {}};
  TestWindow b{{0, 0, 0, 4, 0, 0, 0}, {0, 0, 0, 4, 0, 0, 0}, {}};
  // Token 2 of window a is token 0 of window b: both see bytes [20, 25).
  const auto answers = DecodeAnswerSpans({a.View(0), b.View(2)}, {3, 30, false});
  ASSERT_EQ(answers.size(), 3u);
  EXPECT_EQ(answers[0].start_byte, 20u);
  EXPECT_EQ(answers[0].end_byte, 25u);
  EXPECT_NE(answers[1].start_byte, 20u);
}

// Every candidate span in a map, best score per span, then a full sort: the
// plain algorithm, which keeps all O(windows x tokens x max length) spans.
std::vector<AnswerSpan> AllSpansReference(const std::vector<AnswerWindow>& windows,
                                          const AnswerDecodeOptions& options) {
  std::map<std::pair<uint32_t, uint32_t>, double> best;
  double null_score = 1e300;
  for (const AnswerWindow& w : windows) {
    auto probs = [&](const float* logits) {
      std::vector<double> p(w.context_tokens + 1);
      double max = logits[0];
      for (size_t i = 0; i < w.context_tokens; ++i) max = std::max(max, double{logits[w.first_context + i]});
      double sum = p[0] = std::exp(logits[0] - max);
      for (size_t i = 0; i < w.context_tokens; ++i) sum += p[i + 1] = std::exp(logits[w.first_context + i] - max);
      for (double& v : p) v /= sum;
      return p;
    };
    const std::vector<double> ps = probs(w.start_logits), pe = probs(w.end_logits);
    null_score = std::min(null_score, ps[0] * pe[0]);
    for (size_t s = 0; s < w.context_tokens; ++s) {
      for (size_t e = s; e < w.context_tokens && e < s + static_cast<size_t>(options.max_answer_length); ++e) {
        const std::pair<uint32_t, uint32_t> span{w.offsets[w.first_context + s].first,
                                                 w.offsets[w.first_context + e].second};
        const double score = ps[s + 1] * pe[e + 1];
        auto [it, inserted] = best.emplace(span, score);
        if (!inserted) it->second = std::max(it->second, score);
      }
    }
  }
  std::vector<AnswerSpan> all;
  for (const auto& [span, score] : best) all.push_back({score, false, span.first, span.second});
  if (options.null_answer && !windows.empty()) all.push_back({null_score, true, 0, 0});
  std::sort(all.begin(), all.end(), [](const AnswerSpan& a, const AnswerSpan& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.is_null != b.is_null) return a.is_null;
    return std::make_pair(a.start_byte, a.end_byte) < std::make_pair(b.start_byte, b.end_byte);
  });
  all.resize(std::min(all.size(), static_cast<size_t>(options.n_best)));
  return all;
}

TEST(AnswerSpansTest, TheBoundedNBestIsTheNBestOfAllSpans) {
  // Many overlapping windows over one context (token i = bytes [3i, 3i + 2)),
  // logits from a few values so that scores tie often.
  std::mt19937 rng(7);
  for (int round = 0; round < 200; ++round) {
    const size_t context = 5 + rng() % 60, room = 4 + rng() % 8, stride = rng() % room;
    std::vector<std::vector<float>> starts, ends;
    std::vector<std::vector<std::pair<uint32_t, uint32_t>>> offsets;
    std::vector<AnswerWindow> windows;
    for (size_t begin = 0;; begin += room - stride) {
      const size_t end = std::min(context, begin + room), n = end - begin;
      starts.emplace_back(n + 3);
      ends.emplace_back(n + 3);
      offsets.emplace_back(n + 3, std::pair<uint32_t, uint32_t>{0, 0});
      for (size_t i = 0; i < n + 3; ++i) {
        starts.back()[i] = static_cast<float>(rng() % 4);
        ends.back()[i] = static_cast<float>(rng() % 4);
      }
      for (size_t i = 0; i < n; ++i) {
        offsets.back()[2 + i] = {static_cast<uint32_t>(3 * (begin + i)), static_cast<uint32_t>(3 * (begin + i) + 2)};
      }
      if (end == context) break;
    }
    for (size_t i = 0; i < starts.size(); ++i) {
      const size_t n = starts[i].size() - 3;
      windows.push_back({starts[i].data(), ends[i].data(), 2, n, offsets[i].data()});
    }
    const AnswerDecodeOptions options{1 + static_cast<int>(rng() % 6), 1 + static_cast<int>(rng() % 12),
                                      rng() % 2 == 0};
    const std::vector<AnswerSpan> got = DecodeAnswerSpans(windows, options);
    const std::vector<AnswerSpan> want = AllSpansReference(windows, options);
    ASSERT_EQ(got.size(), want.size()) << "round " << round;
    for (size_t k = 0; k < got.size(); ++k) {
      EXPECT_DOUBLE_EQ(got[k].score, want[k].score) << "round " << round << " rank " << k;
      EXPECT_EQ(got[k].is_null, want[k].is_null) << "round " << round << " rank " << k;
      EXPECT_EQ(got[k].start_byte, want[k].start_byte) << "round " << round << " rank " << k;
      EXPECT_EQ(got[k].end_byte, want[k].end_byte) << "round " << round << " rank " << k;
    }
  }
}

}  // namespace
}  // namespace fasterbert::ops
