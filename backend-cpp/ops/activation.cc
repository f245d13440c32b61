#include "ops/activation.h"

#include <algorithm>
#include <cmath>

namespace fasterbert::ops {

void Softmax(const float* x, int64_t n, float* out) {
  if (n <= 0) return;
  const double max = *std::max_element(x, x + n);
  double sum = 0.0;
  for (int64_t i = 0; i < n; ++i) sum += std::exp(static_cast<double>(x[i]) - max);
  for (int64_t i = 0; i < n; ++i) {
    out[i] = static_cast<float>(std::exp(static_cast<double>(x[i]) - max) / sum);
  }
}

void Sigmoid(const float* x, int64_t n, float* out) {
  for (int64_t i = 0; i < n; ++i) {
    out[i] = static_cast<float>(1.0 / (1.0 + std::exp(-static_cast<double>(x[i]))));
  }
}

}  // namespace fasterbert::ops
