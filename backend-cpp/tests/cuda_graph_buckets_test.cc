// The shape buckets a CUDA-graph engine pads its calls up to.
#include "engines/cuda_graph_buckets.h"

#include <algorithm>

#include <gtest/gtest.h>

namespace fasterbert::engines {
namespace {

TEST(GraphBucketTest, RoundsBatchToPowersOfTwoAndSequenceToSteps) {
  EXPECT_EQ(GraphBucketFor(1, 1, 64, 256), (GraphBucket{1, 16}));
  EXPECT_EQ(GraphBucketFor(3, 17, 64, 256), (GraphBucket{4, 32}));
  EXPECT_EQ(GraphBucketFor(33, 64, 64, 256), (GraphBucket{64, 64}));
  EXPECT_EQ(GraphBucketFor(16, 65, 64, 256), (GraphBucket{16, 96}));
  EXPECT_EQ(GraphBucketFor(16, 250, 64, 256), (GraphBucket{16, 256}));
  EXPECT_EQ(GraphBucketFor(16, 300, 0, 0), (GraphBucket{16, 320}));
}

TEST(GraphBucketTest, LimitsCapTheBucketButNeverTheCall) {
  // A max that is not a power of two is the last bucket.
  EXPECT_EQ(GraphBucketFor(40, 20, 48, 256), (GraphBucket{48, 32}));
  EXPECT_EQ(GraphBucketFor(48, 20, 48, 256), (GraphBucket{48, 32}));
  EXPECT_EQ(GraphBucketFor(2, 99, 64, 100), (GraphBucket{2, 100}));
  // Never smaller than the call itself, even past a (wrong) limit.
  EXPECT_EQ(GraphBucketFor(70, 20, 64, 256), (GraphBucket{70, 32}));
}

TEST(GraphBucketTest, EveryCallFitsItsBucketAndFewBucketsServeAll) {
  int buckets = 0;
  GraphBucket last{0, 0};
  for (int64_t seq = 1; seq <= 256; ++seq) {
    const GraphBucket bucket = GraphBucketFor(1, seq, 64, 256);
    EXPECT_GE(bucket.seq, seq);
    if (!(bucket == last)) ++buckets;
    last = bucket;
  }
  EXPECT_EQ(buckets, 10);  // 16 32 48 64 96 128 160 192 224 256
}

TEST(TokenBucketTest, PadsRealTokensByAnEighthAtMostPlus64) {
  EXPECT_EQ(TokenBucketFor(1, 1), 2);        // the export's lower bound
  EXPECT_EQ(TokenBucketFor(13, 16), 16);     // capped by batch x seq
  EXPECT_EQ(TokenBucketFor(13, 4096), 64);
  EXPECT_EQ(TokenBucketFor(1076, 2048), 1152);  // 1024 / 8 = 128-token steps
  EXPECT_EQ(TokenBucketFor(4462, 16384), 4608);
  EXPECT_EQ(TokenBucketFor(16384, 16384), 16384);
  EXPECT_EQ(TokenBucketFor(300, 200), 300);  // never below the call's own count
  int buckets = 0;
  int64_t last = 0;
  for (int64_t tokens = 1; tokens <= 16384; ++tokens) {
    const int64_t bucket = TokenBucketFor(tokens, 16384);
    ASSERT_GE(bucket, tokens);
    ASSERT_LE(bucket, tokens + std::max<int64_t>(64, tokens / 8));
    if (bucket != last) ++buckets;
    last = bucket;
  }
  EXPECT_LE(buckets, 80);
}

TEST(ReplaysAsGraphTest, CallsAboveTheLimitRunWithoutAGraph) {
  EXPECT_TRUE(ReplaysAsGraph(16384, 0));  // no limit: every call
  EXPECT_TRUE(ReplaysAsGraph(4096, 4096));
  EXPECT_FALSE(ReplaysAsGraph(4097, 4096));
  EXPECT_TRUE(ReplaysAsGraph(1, 4096));
}

}  // namespace
}  // namespace fasterbert::engines
