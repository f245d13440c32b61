// L2 normalization of pooled rows, as torch.nn.functional.normalize(p=2):
// x / max(||x||, 1e-12), so an all-zero row stays zero instead of NaN.
#pragma once

#include <cstdint>

namespace fasterbert::ops {

void L2NormalizeRows(float* rows, int64_t count, int64_t dim);

}  // namespace fasterbert::ops
