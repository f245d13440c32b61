// The batch runner with a fake engine: per-row error isolation, one engine
// call for the good rows, padding to the batch's longest row, pooling order.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "pipeline/embedding_pipeline.h"

namespace fasterbert {
namespace {

// Token t at position s gets the vector [input_id, 1]: mean pooling then
// yields the mean id of the real tokens, which the test can work out.
class FakeSession final : public engines::EngineSession {
 public:
  std::vector<engines::EncodedBatch> calls;
  ops::TokenEmbeddingsView Run(const engines::EncodedBatch& batch) override {
    calls.push_back(batch);
    hidden_.assign(static_cast<size_t>(batch.batch * batch.seq * 2), 0.0f);
    for (int64_t i = 0; i < batch.batch * batch.seq; ++i) {
      hidden_[i * 2] = static_cast<float>(batch.input_ids[i]);
      hidden_[i * 2 + 1] = 1.0f;
    }
    return {hidden_.data(), batch.batch, batch.seq, 2};
  }

 private:
  std::vector<float> hidden_;
};

class EmbeddingPipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    vocab_path_ = ::testing::TempDir() + "/pipeline_test_vocab.txt";
    std::ofstream(vocab_path_) << "[PAD]\n[UNK]\n[CLS]\n[SEP]\nhello\nworld\nfoo\n";
    tokenizer_ = std::make_unique<text::BertTokenizer>(
        text::BertTokenizer::FromVocabFile(vocab_path_, text::BertTokenizerOptions{}));
    spec_.text_input = "text";
    spec_.max_text_bytes = 64;
    spec_.tokenizer.max_length = 8;
    spec_.post_ops = {PostOp::kMeanPool};
    spec_.output = {"embedding", 2};
    auto session = std::make_unique<FakeSession>();
    fake_ = session.get();
    pipeline_ = std::make_unique<EmbeddingPipeline>(spec_, *tokenizer_, std::move(session));
  }
  void TearDown() override { std::remove(vocab_path_.c_str()); }

  std::string vocab_path_;
  std::unique_ptr<text::BertTokenizer> tokenizer_;
  PipelineSpec spec_;
  FakeSession* fake_ = nullptr;
  std::unique_ptr<EmbeddingPipeline> pipeline_;
};

TEST_F(EmbeddingPipelineTest, BadRowsGetTheirOwnErrorAndSkipTheEngine) {
  const std::string bad_utf8 = "hello \xff world";
  const std::string huge(100, 'a');
  std::vector<std::string_view> rows = {"hello world", bad_utf8, "", "foo", huge};
  BatchResult result;
  pipeline_->Run(rows, &result);

  ASSERT_EQ(fake_->calls.size(), 1u);
  EXPECT_EQ(fake_->calls[0].batch, 2);  // only "hello world" and "foo"
  EXPECT_EQ(fake_->calls[0].seq, 4);    // [CLS] hello world [SEP], "foo" padded to it

  EXPECT_EQ(result.errors[0], "");
  EXPECT_NE(result.errors[1].find("UTF-8"), std::string::npos) << result.errors[1];
  EXPECT_NE(result.errors[2].find("empty"), std::string::npos);
  EXPECT_EQ(result.errors[3], "");
  EXPECT_NE(result.errors[4].find("limit of 64"), std::string::npos);

  // ids: [CLS]=2 hello=4 world=5 [SEP]=3 -> mean 3.5; [CLS] foo [SEP] -> (2+6+3)/3.
  EXPECT_FLOAT_EQ(result.embeddings[0], 3.5f);
  EXPECT_FLOAT_EQ(result.embeddings[1], 1.0f);
  EXPECT_FLOAT_EQ(result.embeddings[3 * 2], 11.0f / 3.0f);
  EXPECT_FLOAT_EQ(result.embeddings[3 * 2 + 1], 1.0f);
}

TEST_F(EmbeddingPipelineTest, AllBadBatchNeverCallsTheEngine) {
  BatchResult result;
  pipeline_->Run({"", ""}, &result);
  EXPECT_TRUE(fake_->calls.empty());
  EXPECT_FALSE(result.errors[0].empty());
  EXPECT_FALSE(result.errors[1].empty());
}

TEST_F(EmbeddingPipelineTest, TruncatesToMaxLength) {
  BatchResult result;
  pipeline_->Run({"hello hello hello hello hello hello hello hello hello"}, &result);
  ASSERT_EQ(fake_->calls.size(), 1u);
  EXPECT_EQ(fake_->calls[0].seq, 8);
  EXPECT_EQ(result.errors[0], "");
}

TEST_F(EmbeddingPipelineTest, NoTruncationMakesOverlongTextAnError) {
  spec_.tokenizer.truncation = false;
  auto session = std::make_unique<FakeSession>();
  EmbeddingPipeline pipeline(spec_, *tokenizer_, std::move(session));
  BatchResult result;
  pipeline.Run({"hello hello hello hello hello hello hello hello hello", "hello"}, &result);
  EXPECT_FALSE(result.errors[0].empty());
  EXPECT_EQ(result.errors[1], "");
}

TEST_F(EmbeddingPipelineTest, NormalizeAfterPool) {
  spec_.post_ops = {PostOp::kClsPool, PostOp::kL2Normalize};
  auto session = std::make_unique<FakeSession>();
  EmbeddingPipeline pipeline(spec_, *tokenizer_, std::move(session));
  BatchResult result;
  pipeline.Run({"hello"}, &result);
  // [CLS] has id 2 -> [2, 1] / sqrt(5)
  EXPECT_NEAR(result.embeddings[0], 2.0 / std::sqrt(5.0), 1e-6);
  EXPECT_NEAR(result.embeddings[1], 1.0 / std::sqrt(5.0), 1e-6);
}

}  // namespace
}  // namespace fasterbert
