// The pipeline with a GPU engine: a fake session hands back its outputs in
// device memory on its own stream; the embeddings (pooled and normalized on
// the device) and the logits (copied to the host) must equal what the same
// pipeline computes from host outputs. Needs a CUDA device: skipped without.
#include <cuda_runtime_api.h>
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "pipeline/text_pipeline.h"
#include "text/tests/test_util.h"

namespace fasterbert {
namespace {

constexpr int64_t kHidden = 8;
constexpr int64_t kLabels = 3;

// Deterministic per-token values that depend on the id, the position and the
// lane, so a pooling over wrong positions or rows shows.
float TokenValue(int64_t id, int64_t position, int64_t lane) {
  return std::sin(0.37f * static_cast<float>(id) + 0.11f * static_cast<float>(position) +
                  0.53f * static_cast<float>(lane));
}

class HostSession : public engines::EngineSession {
 public:
  // nan_id: a token id whose hidden states hold a NaN (in lane 1), as an
  // overflowing engine would give; -1: none.
  explicit HostSession(int64_t nan_id = -1) : nan_id_(nan_id) {}
  std::vector<engines::TensorView> Run(const engines::EncodedBatch& batch) override {
    Fill(batch);
    return {{hidden_.data(), {batch.batch, batch.seq, kHidden}},
            {logits_.data(), {batch.batch, kLabels}}};
  }

 protected:
  void Fill(const engines::EncodedBatch& batch) {
    hidden_.assign(static_cast<size_t>(batch.batch * batch.seq * kHidden), 0.0f);
    logits_.assign(static_cast<size_t>(batch.batch * kLabels), 0.0f);
    for (int64_t b = 0; b < batch.batch; ++b) {
      for (int64_t s = 0; s < batch.seq; ++s) {
        const int64_t id = batch.input_ids[b * batch.seq + s];
        for (int64_t h = 0; h < kHidden; ++h) {
          hidden_[static_cast<size_t>((b * batch.seq + s) * kHidden + h)] =
              id == nan_id_ && h == 1 ? std::nanf("") : TokenValue(id, s, h);
        }
        for (int64_t l = 0; l < kLabels; ++l) {
          logits_[static_cast<size_t>(b * kLabels + l)] += TokenValue(id, s, l + 100);
        }
      }
    }
  }
  std::vector<float> hidden_, logits_;
  int64_t nan_id_;
};

// Makes `device` current until the scope ends, then the thread's own again.
class OnDevice {
 public:
  explicit OnDevice(int device) {
    cudaGetDevice(&previous_);
    cudaSetDevice(device);
  }
  ~OnDevice() { cudaSetDevice(previous_); }
  OnDevice(const OnDevice&) = delete;
  OnDevice& operator=(const OnDevice&) = delete;

 private:
  int previous_ = 0;
};

// The same values, uploaded to device buffers on a stream of its own, on
// the GPU current when it was made; like the AOTInductor engine, Run gives
// the thread its own device back.
class DeviceSession final : public HostSession {
 public:
  explicit DeviceSession(int64_t nan_id = -1) : HostSession(nan_id) {
    cudaGetDevice(&device_);
    cudaStreamCreate(&stream_);
  }
  ~DeviceSession() override {
    const OnDevice on_its_gpu(device_);
    cudaFree(device_hidden_);
    cudaFree(device_logits_);
    cudaStreamDestroy(stream_);
  }
  void* cuda_stream() const override { return stream_; }
  std::vector<engines::TensorView> Run(const engines::EncodedBatch& batch) override {
    const OnDevice on_its_gpu(device_);
    Fill(batch);
    cudaFree(device_hidden_);
    cudaFree(device_logits_);
    cudaMalloc(reinterpret_cast<void**>(&device_hidden_), hidden_.size() * sizeof(float));
    cudaMalloc(reinterpret_cast<void**>(&device_logits_), logits_.size() * sizeof(float));
    cudaMemcpyAsync(device_hidden_, hidden_.data(), hidden_.size() * sizeof(float),
                    cudaMemcpyHostToDevice, stream_);
    cudaMemcpyAsync(device_logits_, logits_.data(), logits_.size() * sizeof(float),
                    cudaMemcpyHostToDevice, stream_);
    return {{device_hidden_, {batch.batch, batch.seq, kHidden}, engines::Memory::kCuda},
            {device_logits_, {batch.batch, kLabels}, engines::Memory::kCuda}};
  }

 private:
  int device_ = 0;
  cudaStream_t stream_ = nullptr;
  float* device_hidden_ = nullptr;
  float* device_logits_ = nullptr;
};

class DeviceOutputsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    int devices = 0;
    if (cudaGetDeviceCount(&devices) != cudaSuccess || devices == 0) {
      GTEST_SKIP() << "no CUDA device";
    }
    text::testing::TempVocab vocab({"[PAD]", "[UNK]", "[CLS]", "[SEP]", "hello", "world", "foo",
                                    "bar", "baz"});
    tokenizer_ = text::Tokenizer::FromBert(
        text::BertTokenizer::FromVocabFile(vocab.path(), text::BertTokenizerOptions{}));
    spec_.text_inputs = {"text"};
    spec_.tokenizer.max_length = 16;
    spec_.engine.token_embeddings = "last_hidden_state";
    spec_.engine.hidden_size = kHidden;
    spec_.engine.logits = "logits";
    spec_.engine.num_labels = kLabels;
    spec_.classifier.labels = {"a", "b", "c"};
  }

  BatchResult Run(std::unique_ptr<engines::EngineSession> session) {
    TextPipeline pipeline(spec_, *tokenizer_, std::move(session));
    BatchResult result;
    const std::vector<TextRow> rows = {
        {"hello world foo", {}}, {"bar", {}}, {"", {}}, {"baz foo hello world bar baz", {}}};
    pipeline.Run(rows, std::vector<bool>(spec_.outputs.size(), true), &result);
    return result;
  }

  void ExpectSame(const BatchResult& host, const BatchResult& device, float tolerance) {
    ASSERT_EQ(host.errors, device.errors);
    for (size_t i = 0; i < host.outputs.size(); ++i) {
      ASSERT_EQ(host.outputs[i].fp32.size(), device.outputs[i].fp32.size());
      for (size_t k = 0; k < host.outputs[i].fp32.size(); ++k) {
        EXPECT_NEAR(host.outputs[i].fp32[k], device.outputs[i].fp32[k], tolerance)
            << spec_.outputs[i].name << "[" << k << "]";
      }
      EXPECT_EQ(host.outputs[i].bytes, device.outputs[i].bytes);
    }
  }

  std::unique_ptr<text::Tokenizer> tokenizer_;
  PipelineSpec spec_;
};

TEST_F(DeviceOutputsTest, PoolingOnTheDeviceMatchesTheHost) {
  spec_.outputs = {
      {"mean", OutputKind::kSentenceEmbedding, kHidden, {PostOp::kMeanPool, PostOp::kL2Normalize}},
      {"cls", OutputKind::kSentenceEmbedding, kHidden, {PostOp::kClsPool}},
      {"max", OutputKind::kSentenceEmbedding, kHidden, {PostOp::kMaxPool, PostOp::kL2Normalize}},
      {"scores", OutputKind::kClassScores, kLabels, {}},
      {"labels", OutputKind::kTopLabels, 2, {}}};
  const BatchResult host = Run(std::make_unique<HostSession>());
  const BatchResult device = Run(std::make_unique<DeviceSession>());
  EXPECT_FALSE(host.errors[2].empty());  // the empty text: its own error, on both paths
  ExpectSame(host, device, 1e-6f);
}

// A row whose token embeddings hold a NaN fails alone, with the same error
// on both paths: the device flags its rows where it pools them (fused into
// L2, or a pass of its own after a pooling alone), the host scans them.
TEST_F(DeviceOutputsTest, ARowThatIsNotFiniteFailsAloneOnBothPaths) {
  spec_.outputs = {
      {"mean", OutputKind::kSentenceEmbedding, kHidden, {PostOp::kMeanPool, PostOp::kL2Normalize}},
      {"raw", OutputKind::kSentenceEmbedding, kHidden, {PostOp::kMeanPool}}};
  const int64_t baz = 8;  // its place in the fixture's vocabulary
  const BatchResult host = Run(std::make_unique<HostSession>(baz));
  const BatchResult device = Run(std::make_unique<DeviceSession>(baz));
  ASSERT_EQ(host.errors, device.errors);
  EXPECT_TRUE(device.errors[0].empty());
  EXPECT_TRUE(device.errors[1].empty());
  EXPECT_NE(device.errors[3].find(kNotFiniteError), std::string::npos) << device.errors[3];
  for (size_t i = 0; i < host.outputs.size(); ++i) {
    for (size_t k = 0; k < 2 * static_cast<size_t>(kHidden); ++k) {  // rows 0 and 1
      EXPECT_NEAR(host.outputs[i].fp32[k], device.outputs[i].fp32[k], 1e-6f);
    }
  }
  // Each output alone takes its own path to the flags: either catches the row.
  for (const OutputSpec& alone : std::vector<OutputSpec>(spec_.outputs)) {
    spec_.outputs = {alone};
    const BatchResult one = Run(std::make_unique<DeviceSession>(baz));
    EXPECT_TRUE(one.errors[0].empty()) << alone.name;
    EXPECT_NE(one.errors[3].find(kNotFiniteError), std::string::npos) << alone.name;
  }
}

// An instance on the second GPU, run from a thread whose current device is
// the first (as Triton's instance threads are): pooling and copies must
// happen on the session's GPU, and the thread keeps its device.
TEST_F(DeviceOutputsTest, PoolsOnTheSessionsGpuWhateverDeviceIsCurrent) {
  int devices = 0;
  cudaGetDeviceCount(&devices);
  if (devices < 2) GTEST_SKIP() << "needs two CUDA devices";
  spec_.outputs = {
      {"mean", OutputKind::kSentenceEmbedding, kHidden, {PostOp::kMeanPool, PostOp::kL2Normalize}},
      {"scores", OutputKind::kClassScores, kLabels, {}}};
  const BatchResult host = Run(std::make_unique<HostSession>());
  ASSERT_EQ(cudaSetDevice(1), cudaSuccess);
  auto on_second = std::make_unique<DeviceSession>();
  ASSERT_EQ(cudaSetDevice(0), cudaSuccess);
  const BatchResult device = Run(std::move(on_second));
  ExpectSame(host, device, 1e-6f);
  int current = -1;
  cudaGetDevice(&current);
  EXPECT_EQ(current, 0);
}

TEST_F(DeviceOutputsTest, BatchesOfGrowingSizeReuseTheBuffers) {
  spec_.outputs = {{"mean", OutputKind::kSentenceEmbedding, kHidden, {PostOp::kMeanPool}}};
  TextPipeline host(spec_, *tokenizer_, std::make_unique<HostSession>());
  TextPipeline device(spec_, *tokenizer_, std::make_unique<DeviceSession>());
  std::vector<TextRow> rows;
  for (int n = 1; n <= 6; ++n) {
    rows.push_back({n % 2 ? "hello world" : "foo bar baz hello", {}});
    BatchResult a, b;
    host.Run(rows, {true}, &a);
    device.Run(rows, {true}, &b);
    ExpectSame(a, b, 1e-6f);
  }
}

}  // namespace
}  // namespace fasterbert
