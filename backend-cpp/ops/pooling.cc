#include "ops/pooling.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <vector>

namespace fasterbert::ops {

void MeanPool(const TokenEmbeddingsView& x, const int64_t* mask, float* out) {
  // Accumulate in double: long rows of FP32 sums otherwise drift from the
  // reference by more than the tests' tolerance.
  std::vector<double> sum(static_cast<size_t>(x.hidden));
  for (int64_t b = 0; b < x.batch; ++b) {
    std::fill(sum.begin(), sum.end(), 0.0);
    double count = 0.0;
    for (int64_t s = 0; s < x.seq; ++s) {
      if (mask[b * x.seq + s] == 0) continue;
      const float* row = x.data + (b * x.seq + s) * x.hidden;
      for (int64_t h = 0; h < x.hidden; ++h) sum[h] += row[h];
      count += 1.0;
    }
    const double denom = std::max(count, 1e-9);
    float* dst = out + b * x.hidden;
    for (int64_t h = 0; h < x.hidden; ++h) dst[h] = static_cast<float>(sum[h] / denom);
  }
}

void ClsPool(const TokenEmbeddingsView& x, float* out) {
  for (int64_t b = 0; b < x.batch; ++b) {
    std::memcpy(out + b * x.hidden, x.data + b * x.seq * x.hidden,
                sizeof(float) * static_cast<size_t>(x.hidden));
  }
}

void MaxPool(const TokenEmbeddingsView& x, const int64_t* mask, float* out) {
  for (int64_t b = 0; b < x.batch; ++b) {
    float* dst = out + b * x.hidden;
    std::fill(dst, dst + x.hidden, std::numeric_limits<float>::lowest());
    bool any = false;
    for (int64_t s = 0; s < x.seq; ++s) {
      if (mask[b * x.seq + s] == 0) continue;
      any = true;
      const float* row = x.data + (b * x.seq + s) * x.hidden;
      for (int64_t h = 0; h < x.hidden; ++h) dst[h] = std::max(dst[h], row[h]);
    }
    if (!any) std::fill(dst, dst + x.hidden, 0.0f);
  }
}

}  // namespace fasterbert::ops
