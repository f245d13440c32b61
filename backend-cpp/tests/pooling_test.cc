// Pooling and normalization against values worked out by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "ops/normalize.h"
#include "ops/pooling.h"

namespace fasterbert::ops {
namespace {

// Two rows, three positions, two features; row 1's last position is padding
// and holds a huge value that must never leak into the result.
const std::vector<float> kHidden = {1, 2, 3, 4, 5, 6,  //
                                    -1, 0, 7, -8, 1e6f, 1e6f};
const std::vector<int64_t> kMask = {1, 1, 1, 1, 1, 0};

TokenEmbeddingsView View() { return {kHidden.data(), 2, 3, 2}; }

TEST(MeanPool, AveragesOnlyRealTokens) {
  std::vector<float> out(4);
  MeanPool(View(), kMask.data(), out.data());
  EXPECT_FLOAT_EQ(out[0], 3.0f);  // (1 + 3 + 5) / 3
  EXPECT_FLOAT_EQ(out[1], 4.0f);  // (2 + 4 + 6) / 3
  EXPECT_FLOAT_EQ(out[2], 3.0f);  // (-1 + 7) / 2
  EXPECT_FLOAT_EQ(out[3], -4.0f);  // (0 - 8) / 2
}

TEST(MeanPool, AllPaddingRowIsZeroNotNaN) {
  const std::vector<int64_t> mask = {0, 0, 0, 1, 0, 0};
  std::vector<float> out(4);
  MeanPool(View(), mask.data(), out.data());
  EXPECT_EQ(out[0], 0.0f);
  EXPECT_EQ(out[1], 0.0f);
  EXPECT_FLOAT_EQ(out[2], -1.0f);
}

TEST(ClsPool, TakesFirstPosition) {
  std::vector<float> out(4);
  ClsPool(View(), out.data());
  EXPECT_EQ(out, (std::vector<float>{1, 2, -1, 0}));
}

TEST(MaxPool, IgnoresPadding) {
  std::vector<float> out(4);
  MaxPool(View(), kMask.data(), out.data());
  EXPECT_EQ(out, (std::vector<float>{5, 6, 7, 0}));
}

TEST(L2NormalizeRows, UnitLengthAndZeroSafe) {
  std::vector<float> rows = {3, 4, 0, 0};
  L2NormalizeRows(rows.data(), 2, 2);
  EXPECT_FLOAT_EQ(rows[0], 0.6f);
  EXPECT_FLOAT_EQ(rows[1], 0.8f);
  EXPECT_EQ(rows[2], 0.0f);
  EXPECT_FALSE(std::isnan(rows[3]));
}

}  // namespace
}  // namespace fasterbert::ops
