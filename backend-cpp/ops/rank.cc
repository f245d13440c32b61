#include "ops/rank.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

#include "ops/score_order.h"

namespace fasterbert::ops {

float PairScore(Activation activation, const float* logits, int64_t labels) {
  if (labels < 1 || labels > 2) {
    throw std::runtime_error("a cross-encoder gives 1 or 2 logits per pair, not " +
                             std::to_string(labels));
  }
  const double last = logits[labels - 1];
  switch (activation) {
    case Activation::kNone:
      return static_cast<float>(last);
    case Activation::kSigmoid:
      return static_cast<float>(1.0 / (1.0 + std::exp(-last)));
    case Activation::kSoftmax: {
      if (labels == 1) return 1.0f;
      // p1 = e^x1 / (e^x0 + e^x1) = sigmoid(x1 - x0): no overflow either way.
      const double diff = last - static_cast<double>(logits[0]);
      return static_cast<float>(1.0 / (1.0 + std::exp(-diff)));
    }
  }
  return 0.0f;
}

std::vector<int64_t> RankTopIndices(const float* scores, int64_t n, int64_t k) {
  std::vector<int64_t> order(static_cast<size_t>(std::max<int64_t>(n, 0)));
  std::iota(order.begin(), order.end(), int64_t{0});
  const size_t kept = static_cast<size_t>(std::min(std::max<int64_t>(k, 0), n < 0 ? 0 : n));
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(kept), order.end(),
                    [scores](int64_t a, int64_t b) { return RanksBefore(scores, a, b); });
  order.resize(kept);
  order.resize(static_cast<size_t>(std::max<int64_t>(k, 0)), -1);
  return order;
}

}  // namespace fasterbert::ops
