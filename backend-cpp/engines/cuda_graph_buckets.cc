#include "engines/cuda_graph_buckets.h"

#include <algorithm>

namespace fasterbert::engines {
namespace {

int64_t RoundUp(int64_t value, int64_t step) { return (value + step - 1) / step * step; }

int64_t Cap(int64_t rounded, int64_t value, int64_t limit) {
  if (limit > 0) rounded = std::min(rounded, limit);
  return std::max(rounded, value);
}

}  // namespace

GraphBucket GraphBucketFor(int64_t batch, int64_t seq, int64_t max_batch, int64_t max_seq) {
  int64_t batch_bucket = 1;
  while (batch_bucket < batch) batch_bucket *= 2;
  const int64_t seq_step = seq <= 64 ? 16 : seq <= 256 ? 32 : 64;
  return {Cap(batch_bucket, batch, max_batch), Cap(RoundUp(seq, seq_step), seq, max_seq)};
}

int64_t TokenBucketFor(int64_t tokens, int64_t limit) {
  int64_t power = 1;
  while (power * 2 <= tokens) power *= 2;
  const int64_t rounded = RoundUp(std::max<int64_t>(tokens, 2), std::max<int64_t>(64, power / 8));
  return std::max<int64_t>(Cap(rounded, tokens, limit), 2);
}

bool ReplaysAsGraph(int64_t work_tokens, int64_t graph_max_tokens) {
  return graph_max_tokens <= 0 || work_tokens <= graph_max_tokens;
}

}  // namespace fasterbert::engines
