// The shapes an engine call is padded up to when it is replayed as a CUDA
// graph: a graph is captured for one fixed [batch, seq], so a few buckets
// keep the number of graphs (and the memory their outputs hold) small while
// padding stays cheap. Plain C++ (no CUDA) so the CPU tests check it.
#pragma once

#include <cstdint>

namespace fasterbert::engines {

struct GraphBucket {
  int64_t batch = 0;
  int64_t seq = 0;
  bool operator==(const GraphBucket& other) const {
    return batch == other.batch && seq == other.seq;
  }
};

// Batch: the next power of two; sequence: the next multiple of 16 up to 64,
// of 32 up to 256, then of 64. Each is capped by its limit (0: unbounded),
// which is itself a bucket, and never below the call's own size.
GraphBucket GraphBucketFor(int64_t batch, int64_t seq, int64_t max_batch, int64_t max_seq);

// A token-packed package's real-token count (its token_index length) padded
// up for a graph: steps of an eighth of the count's power of two, at least
// 64, so padding stays under 12.5% + 64 and a [batch, seq] bucket has a few
// token buckets; capped by `limit` (the bucket's batch x seq), never below
// `tokens`, and at least 2 (the export's lower bound).
int64_t TokenBucketFor(int64_t tokens, int64_t limit);

// Whether a call of `work_tokens` (a token-packed package's real tokens,
// else batch x seq) is replayed from a graph under a limit of
// `graph_max_tokens` (0: no limit).
bool ReplaysAsGraph(int64_t work_tokens, int64_t graph_max_tokens);

}  // namespace fasterbert::engines
