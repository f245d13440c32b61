// The k best classes of one row of scores.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace fasterbert::ops {

// Indices of the at most `k` highest scores, best first; equal scores keep
// the lower index first. With a threshold, scores below it are left out, so
// fewer than k may come back.
std::vector<int64_t> TopK(const float* scores, int64_t n, int64_t k,
                          std::optional<float> threshold);

}  // namespace fasterbert::ops
