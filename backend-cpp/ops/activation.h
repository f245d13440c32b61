// Class scores from a classifier's logits: softmax for one label per text,
// sigmoid for multi-label; computed in double so scores match a float64
// reference to well under 1e-6.
#pragma once

#include <cstdint>

namespace fasterbert::ops {

// Which function turns logits into scores (none: the logits themselves).
enum class Activation { kNone, kSoftmax, kSigmoid };

// out[i] = exp(x[i] - max) / sum_j exp(x[j] - max). `out` may equal `x`.
void Softmax(const float* x, int64_t n, float* out);
// out[i] = 1 / (1 + exp(-x[i])). `out` may equal `x`.
void Sigmoid(const float* x, int64_t n, float* out);

}  // namespace fasterbert::ops
