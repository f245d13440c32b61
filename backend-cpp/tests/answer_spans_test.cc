// QA span decoding: probabilities per window, max answer length, each
// window's n best, answers of the same text merged with their scores added
// (HF's question-answering pipeline), the null answer's score and its place
// among equal scores.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <random>
#include <string>
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

constexpr uint32_t kNoWord = UINT32_MAX;

// Every span its own answer: the key is the byte span.
std::string SpanKey(uint32_t start, uint32_t end) {
  return std::to_string(start) + "-" + std::to_string(end);
}

TEST(AnswerSpansTest, ScoresAreProductsOfWindowProbabilities) {
  TestWindow w{{0, 9, 9, 2, 0, 0, 9}, {0, 9, 9, 0, 0, 3, 9}, {}};
  const auto answers = DecodeAnswerSpans({w.View(0)}, {2, 30, true}, SpanKey);
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
  const auto answers = DecodeAnswerSpans({w.View(0)}, {1, 2, true}, SpanKey);
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_TRUE(answers[0].is_null);  // [CLS] wins; the long span is not allowed anyway
  const auto spans = DecodeAnswerSpans({w.View(0)}, {10, 2, false}, SpanKey);
  for (const auto& span : spans) EXPECT_LE(span.end_byte - span.start_byte, 15u);
}

TEST(AnswerSpansTest, ASpanSeenByTwoWindowsIsOneAnswerWithItsScoresAdded) {
  TestWindow a{{0, 0, 0, 0, 0, 4, 0}, {0, 0, 0, 0, 0, 4, 0}, {}};
  TestWindow b{{0, 0, 0, 4, 0, 0, 0}, {0, 0, 0, 4, 0, 0, 0}, {}};
  // Token 2 of window a is token 0 of window b: both see bytes [20, 25).
  const auto alone = DecodeAnswerSpans({a.View(0)}, {1, 30, false}, SpanKey);
  const auto answers = DecodeAnswerSpans({a.View(0), b.View(2)}, {3, 30, false}, SpanKey);
  ASSERT_EQ(answers.size(), 3u);
  EXPECT_EQ(answers[0].start_byte, 20u);
  EXPECT_EQ(answers[0].end_byte, 25u);
  // Both windows give it the same probability (mirror images).
  EXPECT_NEAR(answers[0].score, 2 * alone[0].score, 1e-12);
  EXPECT_NE(answers[1].start_byte, 20u);
}

TEST(AnswerSpansTest, SpansOfTheSameTextAreOneAnswerAtTheFirstFound) {
  // Context tokens 0 and 2 have the same text (the key): HF's pipeline adds
  // the second's score to the first found, which keeps its offsets.
  TestWindow w{{0, 0, 0, 3, 0, 4, 0}, {0, 0, 0, 3, 0, 4, 0}, {}};
  auto text_of = [](uint32_t start, uint32_t end) {
    return start == 20 && end == 25 ? SpanKey(0, 5) : SpanKey(start, end);
  };
  const auto each = DecodeAnswerSpans({w.View(0)}, {2, 1, false}, SpanKey);
  ASSERT_EQ(each.size(), 2u);
  EXPECT_EQ(each[0].start_byte, 20u);  // the better of the two is found first
  EXPECT_EQ(each[1].start_byte, 0u);
  // The window offers n_best = 2 spans, both of one text: one answer.
  const auto merged = DecodeAnswerSpans({w.View(0)}, {2, 1, false}, text_of);
  ASSERT_EQ(merged.size(), 1u);
  EXPECT_EQ(merged[0].start_byte, 20u);
  EXPECT_NEAR(merged[0].score, each[0].score + each[1].score, 1e-12);
}

TEST(AnswerSpansTest, EqualScoresKeepTheOrderFoundAndTheNullAnswerComesLast) {
  // All logits equal: [CLS] and the 3 context tokens have p = 1/4 each, so
  // every span and the null answer score 1/16.
  TestWindow w{std::vector<float>(7, 0), std::vector<float>(7, 0), {}};
  const auto answers = DecodeAnswerSpans({w.View(0)}, {7, 30, true}, SpanKey);
  ASSERT_EQ(answers.size(), 7u);
  const std::vector<std::pair<uint32_t, uint32_t>> found = {{0, 5}, {0, 15}, {0, 25}, {10, 15}, {10, 25}, {20, 25}};
  for (size_t k = 0; k < found.size(); ++k) {
    EXPECT_DOUBLE_EQ(answers[k].score, 1.0 / 16);
    EXPECT_EQ(std::make_pair(answers[k].start_byte, answers[k].end_byte), found[k]) << k;
  }
  EXPECT_TRUE(answers[6].is_null);
}

// The plain algorithm: every candidate span of a window in a full sort, its
// n best merged by key through a map, then a full sort of the answers.
std::vector<AnswerSpan> AllSpansReference(const std::vector<AnswerWindow>& windows,
                                          const AnswerDecodeOptions& options, const AnswerKey& key) {
  std::vector<AnswerSpan> found;
  std::map<std::string, size_t> index_of;
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
    std::vector<AnswerSpan> spans;
    for (size_t s = 0; s < w.context_tokens; ++s) {
      for (size_t e = s; e < w.context_tokens && e < s + static_cast<size_t>(options.max_answer_length); ++e) {
        spans.push_back({ps[s + 1] * pe[e + 1], false, w.offsets[w.first_context + s].first,
                         w.offsets[w.first_context + e].second});
      }
    }
    auto by_score = [](const AnswerSpan& a, const AnswerSpan& b) { return a.score > b.score; };
    std::stable_sort(spans.begin(), spans.end(), by_score);
    spans.resize(std::min(spans.size(), static_cast<size_t>(options.n_best)));
    for (const AnswerSpan& span : spans) {
      auto [it, inserted] = index_of.emplace(key(span.start_byte, span.end_byte), found.size());
      if (inserted) {
        found.push_back(span);
      } else {
        found[it->second].score += span.score;
      }
    }
  }
  if (options.null_answer && !windows.empty()) found.push_back({null_score, true, 0, 0});
  std::stable_sort(found.begin(), found.end(), [](const AnswerSpan& a, const AnswerSpan& b) { return a.score > b.score; });
  found.resize(std::min(found.size(), static_cast<size_t>(options.n_best)));
  return found;
}

TEST(AnswerSpansTest, TheBoundedNBestIsTheNBestOfAllSpans) {
  // Many overlapping windows over one context (token i = bytes [3i, 3i + 2)),
  // logits from a few values so that scores tie often, and few distinct
  // "texts" (the key: first token mod 3, and length) so that answers merge.
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
    const AnswerKey key = [](uint32_t start, uint32_t end) {
      return std::to_string(start / 3 % 3) + "/" + std::to_string(end - start);
    };
    const std::vector<AnswerSpan> got = DecodeAnswerSpans(windows, options, key);
    const std::vector<AnswerSpan> want = AllSpansReference(windows, options, key);
    ASSERT_EQ(got.size(), want.size()) << "round " << round;
    for (size_t k = 0; k < got.size(); ++k) {
      EXPECT_DOUBLE_EQ(got[k].score, want[k].score) << "round " << round << " rank " << k;
      EXPECT_EQ(got[k].is_null, want[k].is_null) << "round " << round << " rank " << k;
      EXPECT_EQ(got[k].start_byte, want[k].start_byte) << "round " << round << " rank " << k;
      EXPECT_EQ(got[k].end_byte, want[k].end_byte) << "round " << round << " rank " << k;
    }
  }
}

// align_to_words: a span is widened to the first token of its start token's
// word and the last of its end token's, within the window's context (HF's
// word_to_chars on the window's encoding); the widened text is what merges.
TEST(AnswerSpansTest, AlignToWordsWidensToTheWindowsTokensOfTheWords) {
  // Context tokens c0 c1 c2: c0 and c1 one word, c2 another; the best span is c1.
  TestWindow w{{0, 0, 0, 0, 6, 0, 0}, {0, 0, 0, 0, 6, 0, 0}, {}};
  AnswerWindow view = w.View(0);
  const std::vector<uint32_t> words = {kNoWord, kNoWord, kNoWord, 7, 7, 8, kNoWord};
  view.words = words.data();
  AnswerDecodeOptions options{1, 30, false};
  EXPECT_EQ(DecodeAnswerSpans({view}, options, SpanKey)[0].start_byte, 10u);  // the token's
  options.align_to_words = true;
  auto best = DecodeAnswerSpans({view}, options, SpanKey)[0];
  EXPECT_EQ(best.start_byte, 0u);  // c0's start: the whole word
  EXPECT_EQ(best.end_byte, 15u);   // c1's end: the word ends there
  // A span ending in c0 ends at its word's last token, c1.
  TestWindow e{{0, 0, 0, 6, 0, 0, 0}, {0, 0, 0, 6, 0, 0, 0}, {}};
  AnswerWindow end_view = e.View(0);
  end_view.words = words.data();
  best = DecodeAnswerSpans({end_view}, options, SpanKey)[0];
  EXPECT_EQ(best.start_byte, 0u);
  EXPECT_EQ(best.end_byte, 15u);
  // Without words the tokens' offsets stay.
  EXPECT_EQ(DecodeAnswerSpans({w.View(0)}, options, SpanKey)[0].start_byte, 10u);
}

TEST(AnswerSpansTest, AlignToWordsStopsAtTheWindowsContext) {
  // The word of c0 began before the window (c0 is the window's first
  // context token): only the window's tokens of it count, as HF's
  // word_to_chars on an overflow window sees them; the question's tokens
  // never join a context word even with the same number.
  TestWindow w{{0, 0, 0, 6, 0, 0, 0}, {0, 0, 0, 0, 0, 6, 0}, {}};
  AnswerWindow view = w.View(4);
  const std::vector<uint32_t> words = {kNoWord, 3, kNoWord, 3, 3, 3, kNoWord};
  view.words = words.data();
  const auto best = DecodeAnswerSpans({view}, {1, 30, false, true}, SpanKey)[0];
  EXPECT_EQ(best.start_byte, 40u);
  EXPECT_EQ(best.end_byte, 65u);
}

TEST(AnswerSpansTest, AlignToWordsMergesByTheWidenedText) {
  // c0 c1 are one word: spans (c0) and (c1) both widen to it, one answer.
  TestWindow w{{0, 0, 0, 5, 5, 0, 0}, {0, 0, 0, 5, 5, 0, 0}, {}};
  AnswerWindow view = w.View(0);
  const std::vector<uint32_t> words = {kNoWord, kNoWord, kNoWord, 0, 0, 1, kNoWord};
  view.words = words.data();
  const auto answers = DecodeAnswerSpans({view}, {3, 1, false, true}, SpanKey);
  ASSERT_EQ(answers.size(), 2u);
  EXPECT_EQ(SpanKey(answers[0].start_byte, answers[0].end_byte), "0-15");
  EXPECT_EQ(SpanKey(answers[1].start_byte, answers[1].end_byte), "20-25");
}

}  // namespace
}  // namespace fasterbert::ops
