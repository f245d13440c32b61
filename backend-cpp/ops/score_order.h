// The order of ranked scores (top-k labels, reranked passages): higher
// first, ties by index, NaN after every number. A NaN compares false with
// everything, so without this the sort's comparator would not be an
// ordering, which std::sort may answer by reading past the range.
#pragma once

#include <cmath>
#include <cstdint>

namespace fasterbert::ops {

inline bool RanksBefore(const float* scores, int64_t a, int64_t b) {
  const float x = scores[a];
  const float y = scores[b];
  const bool x_nan = std::isnan(x);
  const bool y_nan = std::isnan(y);
  if (x_nan != y_nan) return y_nan;
  if (!x_nan && x != y) return x > y;
  return a < b;
}

}  // namespace fasterbert::ops
