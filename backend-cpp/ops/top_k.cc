#include "ops/top_k.h"

#include <algorithm>
#include <numeric>

#include "ops/score_order.h"

namespace fasterbert::ops {

std::vector<int64_t> TopK(const float* scores, int64_t n, int64_t k,
                          std::optional<float> threshold) {
  std::vector<int64_t> order;
  order.reserve(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    if (!threshold.has_value() || scores[i] >= *threshold) order.push_back(i);
  }
  const size_t keep = std::min(order.size(), static_cast<size_t>(std::max<int64_t>(k, 0)));
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(keep), order.end(),
                    [&](int64_t a, int64_t b) { return RanksBefore(scores, a, b); });
  order.resize(keep);
  return order;
}

}  // namespace fasterbert::ops
