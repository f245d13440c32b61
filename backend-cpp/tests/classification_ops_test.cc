// Softmax, sigmoid and top-k against values worked out by hand.
#include <gtest/gtest.h>

#include <limits>

#include <cmath>
#include <vector>

#include "ops/activation.h"
#include "ops/top_k.h"

namespace fasterbert::ops {
namespace {

TEST(ActivationTest, SoftmaxIsStableForLargeLogits) {
  const std::vector<float> logits = {1000.0f, 1001.0f, 999.0f};
  std::vector<float> out(3);
  Softmax(logits.data(), 3, out.data());
  const double sum = std::exp(-1.0) + 1.0 + std::exp(-2.0);
  EXPECT_NEAR(out[0], std::exp(-1.0) / sum, 1e-7);
  EXPECT_NEAR(out[1], 1.0 / sum, 1e-7);
  EXPECT_NEAR(out[0] + out[1] + out[2], 1.0, 1e-6);
}

TEST(ActivationTest, SigmoidInPlace) {
  std::vector<float> x = {0.0f, 2.0f, -30.0f};
  Sigmoid(x.data(), 3, x.data());
  EXPECT_FLOAT_EQ(x[0], 0.5f);
  EXPECT_NEAR(x[1], 1.0 / (1.0 + std::exp(-2.0)), 1e-7);
  EXPECT_GT(x[2], 0.0f);
}

TEST(TopKTest, NanScoresRankLast) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float scores[] = {nan, 0.2f, nan, 0.7f, 0.2f};
  EXPECT_EQ(TopK(scores, 5, 5, std::nullopt), (std::vector<int64_t>{3, 1, 4, 0, 2}));
  EXPECT_EQ(TopK(scores, 5, 5, 0.1f), (std::vector<int64_t>{3, 1, 4}));  // NaN is under any threshold
}

TEST(TopKTest, BestFirstTiesByIndexAndThreshold) {
  const std::vector<float> scores = {0.1f, 0.4f, 0.1f, 0.4f, 0.0f};
  EXPECT_EQ(TopK(scores.data(), 5, 3, std::nullopt), (std::vector<int64_t>{1, 3, 0}));
  EXPECT_EQ(TopK(scores.data(), 5, 10, std::nullopt).size(), 5u);
  EXPECT_EQ(TopK(scores.data(), 5, 3, 0.2f), (std::vector<int64_t>{1, 3}));
  EXPECT_TRUE(TopK(scores.data(), 5, 3, 0.5f).empty());
}

}  // namespace
}  // namespace fasterbert::ops
