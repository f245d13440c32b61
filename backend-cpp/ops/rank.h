// Cross-encoder reranking: a relevance score from one pair's logits, and the
// order of a request's passages by score.
#pragma once

#include <cstdint>
#include <vector>

#include "ops/activation.h"

namespace fasterbert::ops {

// One logit: activation(logit) (sigmoid, as sentence-transformers'
// CrossEncoder with num_labels=1; softmax over one class is always 1, so the
// build refuses it). Two classes: activation over both, the score of class 1
// (for kNone its logit). Computed in double like ops/activation.h.
float PairScore(Activation activation, const float* logits, int64_t labels);

// The indices of the `k` highest of scores[0, n), best first, equal scores
// by lower index; slots past n hold -1.
std::vector<int64_t> RankTopIndices(const float* scores, int64_t n, int64_t k);

}  // namespace fasterbert::ops
