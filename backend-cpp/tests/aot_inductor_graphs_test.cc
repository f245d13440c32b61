// The AOTInductor engine with CUDA graphs against the same package run
// eagerly at each call's exact shape: padding a call up to its graph bucket
// (masked positions, empty rows) must not change the real rows' outputs, and
// a replayed graph must read each call's new input. Needs a CUDA device and
// a BERT-shaped package (inputs input_ids, attention_mask, token_type_ids;
// output last_hidden_state) named by FASTERBERT_TEST_PT2, its hidden size by
// FASTERBERT_TEST_PT2_HIDDEN (default 768), its bounds by
// FASTERBERT_TEST_PT2_MAX (batch,seq; default 64,256), FASTERBERT_TEST_PT2_PACKED=1
// for a package exported with --pack-tokens (a fourth input, token_index,
// whose length the graphs pad to a token bucket); skipped without.
#include <cuda_runtime_api.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "engines/engine_factory.h"

namespace fasterbert::engines {
namespace {

struct Shape {
  int64_t batch, seq;
};

// Row r has seq - (r * 7) % seq real tokens (at least 1): rows of several
// lengths in one call, as a dynamic batch has them.
struct HostBatch {
  std::vector<int64_t> ids, mask, types;
  EncodedBatch view(const Shape& shape) const {
    return {shape.batch, shape.seq, ids.data(), mask.data(), types.data()};
  }
};

HostBatch MakeBatch(const Shape& shape, uint32_t seed) {
  std::mt19937 random(seed);
  std::uniform_int_distribution<int64_t> token(1000, 20000);
  HostBatch batch;
  const size_t n = static_cast<size_t>(shape.batch * shape.seq);
  batch.ids.assign(n, 0);
  batch.mask.assign(n, 0);
  batch.types.assign(n, 0);
  for (int64_t r = 0; r < shape.batch; ++r) {
    const int64_t real = std::max<int64_t>(1, shape.seq - (r * 7) % shape.seq);
    for (int64_t t = 0; t < real; ++t) {
      const size_t i = static_cast<size_t>(r * shape.seq + t);
      batch.ids[i] = t == 0 ? 101 : token(random);
      batch.mask[i] = 1;
      batch.types[i] = t > real / 2 ? 1 : 0;
    }
  }
  return batch;
}

std::vector<float> ToHost(const TensorView& view, void* stream) {
  size_t n = 1;
  for (int64_t d : view.shape) n *= static_cast<size_t>(d);
  std::vector<float> host(n);
  cudaMemcpyAsync(host.data(), view.data, n * sizeof(float), cudaMemcpyDeviceToHost,
                  static_cast<cudaStream_t>(stream));
  cudaStreamSynchronize(static_cast<cudaStream_t>(stream));
  return host;
}

class AotInductorGraphsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    int devices = 0;
    if (cudaGetDeviceCount(&devices) != cudaSuccess || devices == 0) GTEST_SKIP() << "no CUDA device";
    const char* package = std::getenv("FASTERBERT_TEST_PT2");
    if (package == nullptr || *package == '\0') GTEST_SKIP() << "FASTERBERT_TEST_PT2 not set";
    const char* hidden = std::getenv("FASTERBERT_TEST_PT2_HIDDEN");
    hidden_ = hidden != nullptr ? std::atoi(hidden) : 768;
    const char* bounds = std::getenv("FASTERBERT_TEST_PT2_MAX");
    int max_batch = 64, max_seq = 256;
    if (bounds != nullptr) std::sscanf(bounds, "%d,%d", &max_batch, &max_seq);
    EngineSpec spec;
    spec.kind = EngineKind::kAotInductor;
    const std::string path = package;
    spec.model_file = path.substr(path.find_last_of('/') + 1);
    spec.input_ids = "input_ids";
    spec.attention_mask = "attention_mask";
    spec.token_type_ids = "token_type_ids";
    spec.input_order = {"input_ids", "attention_mask", "token_type_ids"};
    // A package exported with --pack-tokens takes the real tokens' positions too.
    const char* packed = std::getenv("FASTERBERT_TEST_PT2_PACKED");
    if (packed != nullptr && std::string(packed) == "1") spec.input_order.push_back("token_index");
    spec.output_order = {"last_hidden_state"};
    spec.token_embeddings = "last_hidden_state";
    spec.hidden_size = hidden_;
    spec.max_batch = max_batch;
    spec.max_sequence = max_seq;
    const std::string dir = path.substr(0, path.find_last_of('/'));
    spec.cuda_graphs = true;
    graphs_ = MakeEngine(spec, {max_batch, max_seq}, dir);
    spec.cuda_graph_max_tokens = kGraphMaxTokens;
    limited_ = MakeEngine(spec, {max_batch, max_seq}, dir);
    spec.cuda_graphs = false;
    eager_ = MakeEngine(spec, {max_batch, max_seq}, dir);
  }

  // The real rows' real positions of two [batch, seq, hidden] outputs: the
  // largest absolute difference, and the largest magnitude seen.
  void Compare(const std::vector<float>& got, const std::vector<float>& want, const HostBatch& batch,
               double* max_diff, double* max_value) const {
    for (size_t i = 0; i < batch.mask.size(); ++i) {
      if (batch.mask[i] == 0) continue;
      for (int h = 0; h < hidden_; ++h) {
        const size_t k = i * static_cast<size_t>(hidden_) + static_cast<size_t>(h);
        *max_diff = std::max(*max_diff, static_cast<double>(std::fabs(got[k] - want[k])));
        *max_value = std::max(*max_value, static_cast<double>(std::fabs(want[k])));
      }
    }
  }

  static constexpr int64_t kGraphMaxTokens = 512;
  int hidden_ = 768;
  // graphs_ replays every call, limited_ those of at most kGraphMaxTokens.
  std::unique_ptr<Engine> graphs_, limited_, eager_;
};

TEST_F(AotInductorGraphsTest, PaddedGraphCallsMatchExactShapeEagerCalls) {
  auto graphed = graphs_->OpenSession({true, 0});
  auto eager = eager_->OpenSession({true, 0});
  // Shapes that pad rows, positions, both, neither; some twice, so a replay
  // with new data is checked, not just the capture.
  const std::vector<Shape> shapes = {{1, 9}, {3, 17}, {8, 64}, {5, 100}, {3, 17}, {16, 32},
                                     {1, 9}, {33, 250}, {64, 256}, {5, 100}};
  uint32_t seed = 1;
  for (const Shape& shape : shapes) {
    const HostBatch batch = MakeBatch(shape, seed++);
    const std::vector<TensorView> got_views = graphed->Run(batch.view(shape));
    ASSERT_EQ(got_views.size(), 1u);
    ASSERT_EQ(got_views[0].shape, (std::vector<int64_t>{shape.batch, shape.seq, hidden_}));
    const std::vector<float> got = ToHost(got_views[0], graphed->cuda_stream());
    const std::vector<float> want = ToHost(eager->Run(batch.view(shape))[0], eager->cuda_stream());
    double max_diff = 0, max_value = 0;
    Compare(got, want, batch, &max_diff, &max_value);
    // FP16 inside: other GEMM shapes round differently, nothing more.
    EXPECT_LT(max_diff, 0.02 * std::max(1.0, max_value))
        << "shape [" << shape.batch << ", " << shape.seq << "]: max |diff| " << max_diff
        << ", max |value| " << max_value;
    EXPECT_GT(max_value, 0.0);
    std::printf("[%lld, %lld]: max |diff| %.5f of max |value| %.3f\n",
                static_cast<long long>(shape.batch), static_cast<long long>(shape.seq), max_diff,
                max_value);
  }
}

// A session whose calls go from graphs to exact-shape runs and back (calls
// above the token limit run without a graph): each call's rows still match.
TEST_F(AotInductorGraphsTest, CallsAboveTheGraphLimitMatchEagerCalls) {
  auto limited = limited_->OpenSession({true, 0});
  auto eager = eager_->OpenSession({true, 0});
  const std::vector<Shape> shapes = {{3, 17}, {33, 250}, {8, 64}, {64, 256}, {16, 32}, {33, 250}, {3, 17}};
  uint32_t seed = 21;
  for (const Shape& shape : shapes) {
    const HostBatch batch = MakeBatch(shape, seed++);
    const std::vector<float> got = ToHost(limited->Run(batch.view(shape))[0], limited->cuda_stream());
    const std::vector<float> want = ToHost(eager->Run(batch.view(shape))[0], eager->cuda_stream());
    double max_diff = 0, max_value = 0;
    Compare(got, want, batch, &max_diff, &max_value);
    EXPECT_LT(max_diff, 0.02 * std::max(1.0, max_value))
        << "shape [" << shape.batch << ", " << shape.seq << "]: max |diff| " << max_diff;
    EXPECT_GT(max_value, 0.0);
    std::printf("limit %lld, [%lld, %lld]: max |diff| %.5f of max |value| %.3f\n",
                static_cast<long long>(kGraphMaxTokens), static_cast<long long>(shape.batch),
                static_cast<long long>(shape.seq), max_diff, max_value);
  }
}

TEST_F(AotInductorGraphsTest, AReplayReadsItsOwnInput) {
  auto graphed = graphs_->OpenSession({true, 0});
  const Shape shape{4, 20};
  const HostBatch first = MakeBatch(shape, 11), second = MakeBatch(shape, 12);
  const std::vector<float> a = ToHost(graphed->Run(first.view(shape))[0], graphed->cuda_stream());
  const std::vector<float> b = ToHost(graphed->Run(second.view(shape))[0], graphed->cuda_stream());
  const std::vector<float> a_again =
      ToHost(graphed->Run(first.view(shape))[0], graphed->cuda_stream());
  double differs = 0;
  for (size_t i = 0; i < a.size(); ++i) differs = std::max(differs, static_cast<double>(std::fabs(a[i] - b[i])));
  EXPECT_GT(differs, 0.1) << "two different inputs gave the same output";
  EXPECT_EQ(a, a_again) << "the same input replayed gave another output";
}

}  // namespace
}  // namespace fasterbert::engines
