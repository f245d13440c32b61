// QA span decoding: probabilities per window, max answer length, spans seen
// by two windows counted once, the null answer's score.
#include <gtest/gtest.h>

#include <cmath>
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

}  // namespace
}  // namespace fasterbert::ops
