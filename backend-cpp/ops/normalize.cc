#include "ops/normalize.h"

#include <algorithm>
#include <cmath>

namespace fasterbert::ops {

void L2NormalizeRows(float* rows, int64_t count, int64_t dim) {
  for (int64_t r = 0; r < count; ++r) {
    float* row = rows + r * dim;
    double sq = 0.0;
    for (int64_t i = 0; i < dim; ++i) sq += static_cast<double>(row[i]) * row[i];
    const double scale = 1.0 / std::max(std::sqrt(sq), 1e-12);
    for (int64_t i = 0; i < dim; ++i) row[i] = static_cast<float>(row[i] * scale);
  }
}

}  // namespace fasterbert::ops
