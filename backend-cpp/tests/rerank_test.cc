// Cross-encoder reranking: pair scores (sigmoid over one logit, softmax over
// two classes), top-k order with ties by index, only_second pair encoding
// and per-row errors through the batch runner with a fake engine.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "ops/rank.h"
#include "pipeline/encoders/query_passages.h"
#include "pipeline/text_pipeline.h"
#include "text/tests/test_util.h"

namespace fasterbert {
namespace {

TEST(RerankScore, SigmoidOfOneLogit) {
  const float logit = 0.75f;
  EXPECT_NEAR(ops::PairScore(Activation::kSigmoid, &logit, 1), 1.0 / (1.0 + std::exp(-0.75)),
              1e-7);
  EXPECT_FLOAT_EQ(ops::PairScore(Activation::kNone, &logit, 1), 0.75f);
}

TEST(RerankScore, SoftmaxOfTwoClassesIsProbabilityOfClassOne) {
  const float logits[2] = {1.0f, 3.0f};
  const double e0 = std::exp(1.0), e1 = std::exp(3.0);
  EXPECT_NEAR(ops::PairScore(Activation::kSoftmax, logits, 2), e1 / (e0 + e1), 1e-7);
  EXPECT_FLOAT_EQ(ops::PairScore(Activation::kNone, logits, 2), 3.0f);
  // Large logits do not overflow.
  const float big[2] = {-1000.0f, 1000.0f};
  EXPECT_FLOAT_EQ(ops::PairScore(Activation::kSoftmax, big, 2), 1.0f);
}

TEST(RerankScore, ThreeLogitsAreRejected) {
  const float logits[3] = {0, 0, 0};
  EXPECT_THROW(ops::PairScore(Activation::kSoftmax, logits, 3), std::runtime_error);
}

TEST(RerankTopIndices, NanScoresRankLastAndTheOrderHolds) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  std::vector<float> scores(200, 0.5f);
  for (size_t i = 0; i < scores.size(); i += 3) scores[i] = nan;
  scores[100] = 0.9f;
  const auto top = ops::RankTopIndices(scores.data(), static_cast<int64_t>(scores.size()), 200);
  ASSERT_EQ(top.size(), 200u);
  EXPECT_EQ(top[0], 100);
  EXPECT_EQ(top[1], 1);  // then the 0.5s by index, the NaNs after every number
  for (size_t k = 0; k < top.size(); ++k) {
    const bool is_nan = std::isnan(scores[static_cast<size_t>(top[k])]);
    EXPECT_EQ(is_nan, k >= 133) << k;  // 67 of the 200 are NaN
  }
}

TEST(RerankTopIndices, BestFirstTiesByIndexPaddedWithMinusOne) {
  const float scores[5] = {0.2f, 0.9f, 0.5f, 0.9f, 0.1f};
  EXPECT_EQ(ops::RankTopIndices(scores, 5, 3), (std::vector<int64_t>{1, 3, 2}));
  EXPECT_EQ(ops::RankTopIndices(scores, 2, 4), (std::vector<int64_t>{1, 0, -1, -1}));
  EXPECT_EQ(ops::RankTopIndices(scores, 0, 2), (std::vector<int64_t>{-1, -1}));
}

// Logit of a pair: the passage's first token id minus 5 (hello 4, world 5, foo 6).
class FakeRerankSession final : public engines::EngineSession {
 public:
  std::vector<engines::EncodedBatch> calls;
  std::vector<std::vector<int32_t>> type_ids;
  std::vector<engines::TensorView> Run(const engines::EncodedBatch& batch) override {
    calls.push_back(batch);
    logits_.clear();
    for (int64_t b = 0; b < batch.batch; ++b) {
      std::vector<int32_t> types;
      int64_t first_passage = -1;
      for (int64_t s = 0; s < batch.seq; ++s) {
        const int64_t at = b * batch.seq + s;
        if (batch.attention_mask[at] == 0) break;
        types.push_back(static_cast<int32_t>(batch.token_type_ids[at]));
        if (first_passage < 0 && batch.token_type_ids[at] == 1) first_passage = batch.input_ids[at];
      }
      type_ids.push_back(types);
      logits_.push_back(static_cast<float>(first_passage - 5));
    }
    return {{logits_.data(), {batch.batch, 1}}};
  }

 private:
  std::vector<float> logits_;
};

class RerankPipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    text::testing::TempVocab vocab({"[PAD]", "[UNK]", "[CLS]", "[SEP]", "hello", "world", "foo"});
    tokenizer_ = text::Tokenizer::FromBert(
        text::BertTokenizer::FromVocabFile(vocab.path(), text::BertTokenizerOptions{}));
    spec_.text_inputs = {"query", "passages"};
    spec_.max_text_bytes = 64;
    spec_.tokenizer.max_length = 7;
    spec_.encoding.kind = EncodingKind::kQueryPassages;
    spec_.engine.logits = "logits";
    spec_.engine.num_labels = 1;
    spec_.reranker.activation = Activation::kNone;
    spec_.outputs = {{"scores", OutputKind::kRerankScores, -1, {}},
                     {"top_indices", OutputKind::kRerankTopIndices, 2, {}}};
    auto session = std::make_unique<FakeRerankSession>();
    fake_ = session.get();
    pipeline_ = std::make_unique<TextPipeline>(spec_, *tokenizer_, std::move(session));
  }

  std::unique_ptr<text::Tokenizer> tokenizer_;
  PipelineSpec spec_;
  FakeRerankSession* fake_ = nullptr;
  std::unique_ptr<TextPipeline> pipeline_;
};

TEST_F(RerankPipelineTest, OneEngineRowPerPairOnlyThePassageTruncated) {
  const std::vector<TextRow> rows = {{"hello", "foo foo foo foo foo"},  // passage cut to 3
                                     {"hello", "world"},
                                     {"hello", "hello"}};
  BatchResult result;
  pipeline_->Run(rows, {true, true}, &result);
  for (const std::string& error : result.errors) EXPECT_EQ(error, "");
  ASSERT_EQ(fake_->calls.size(), 1u);
  EXPECT_EQ(fake_->calls[0].batch, 3);
  EXPECT_EQ(fake_->calls[0].seq, 7);
  EXPECT_EQ(fake_->type_ids[0], (std::vector<int32_t>{0, 0, 0, 1, 1, 1, 1}));
  EXPECT_EQ(fake_->type_ids[1], (std::vector<int32_t>{0, 0, 0, 1, 1}));
  // The scores side by side, and the ranking the head makes of them.
  EXPECT_EQ(result.outputs[0].layout, OutputLayout::kRowsAsList);
  EXPECT_EQ(result.outputs[0].fp32, (std::vector<float>{1.0f, 0.0f, -1.0f}));
  EXPECT_EQ(result.outputs[1].layout, OutputLayout::kPerRequest);
  EXPECT_EQ(result.outputs[1].int64, (std::vector<int64_t>{0, 1}));
}

TEST_F(RerankPipelineTest, QueryAndPassagePromptsGoInFrontOfTheirTexts) {
  spec_.text_prompts = {"world", "foo"};
  auto session = std::make_unique<FakeRerankSession>();
  FakeRerankSession* fake = session.get();
  TextPipeline prompted(spec_, *tokenizer_, std::move(session));
  BatchResult result;
  // "worldhello" is one unknown word: the prompt is put in front as it is, no space added.
  prompted.Run({{" hello", " hello"}, {"hello", "world"}}, {true, false}, &result);
  for (const std::string& error : result.errors) EXPECT_EQ(error, "");
  ASSERT_EQ(fake->calls.size(), 1u);
  // [CLS] world hello [SEP] foo hello [SEP]: the passage starts with foo (logit 1), not hello.
  EXPECT_EQ(fake->type_ids[0], (std::vector<int32_t>{0, 0, 0, 0, 1, 1, 1}));
  EXPECT_EQ(fake->calls[0].input_ids[1], 5);
  EXPECT_EQ(fake->calls[0].input_ids[2], 4);
  EXPECT_EQ(result.outputs[0].fp32, (std::vector<float>{1.0f, -4.0f}));
}

TEST_F(RerankPipelineTest, BadPairsGetTheirOwnErrors) {
  const std::vector<TextRow> rows = {{"hello hello hello hello hello", "foo"},  // no room for the passage
                                     {"hello", ""},
                                     {"hello", "\xff"},
                                     {"hello", "foo"}};
  BatchResult result;
  pipeline_->Run(rows, {true, false}, &result);
  EXPECT_NE(result.errors[0].find("input 'query' is too long"), std::string::npos)
      << result.errors[0];
  EXPECT_NE(result.errors[1].find("input 'passages' holds an empty text"), std::string::npos)
      << result.errors[1];
  EXPECT_NE(result.errors[2].find("input 'passages'"), std::string::npos) << result.errors[2];
  EXPECT_EQ(result.errors[3], "");
  ASSERT_EQ(fake_->calls.size(), 1u);
  EXPECT_EQ(fake_->calls[0].batch, 1);
  EXPECT_FLOAT_EQ(result.outputs[0].fp32[3], 1.0f);
}

TEST_F(RerankPipelineTest, ManyPairsSplitByTheTokenBudget) {
  spec_.max_batch_tokens = 14;  // two rows of 6 per call
  // Logit foo (6) - 5 = 1: not the 0.0 every score starts as, so a row the
  // split left out shows.
  std::vector<TextRow> rows(5, TextRow{"hello", "foo world"});
  BatchResult result;
  pipeline_->Run(rows, {true, true}, &result);
  EXPECT_EQ(result.engine_calls, 3u);
  ASSERT_EQ(result.outputs[0].fp32.size(), 5u);
  for (float score : result.outputs[0].fp32) EXPECT_FLOAT_EQ(score, 1.0f);
}

TEST_F(RerankPipelineTest, EachRequestIsRankedOnItsOwn) {
  // Two requests of two passages each, and a third whose bad passage fails it.
  const std::vector<TextRow> rows = {{"hello", "hello", 0}, {"hello", "foo", 0},
                                     {"hello", "foo", 1},   {"hello", "world", 1},
                                     {"hello", "foo", 2},   {"hello", "", 2}};
  BatchResult result;
  pipeline_->Run(rows, {true, true}, &result);
  EXPECT_NE(result.errors[5], "");
  EXPECT_EQ(result.outputs[0].fp32, (std::vector<float>{-1.0f, 1.0f, 1.0f, 0.0f, 1.0f, 0.0f}));
  // Per request, best first; the failed request is left unranked (zeros).
  EXPECT_EQ(result.outputs[1].int64, (std::vector<int64_t>{1, 0, 0, 1, 0, 0}));
}

TEST_F(RerankPipelineTest, OnePairPerRowGivesEachRowItsScore) {
  spec_.encoding.kind = EncodingKind::kQueryPassagePerRow;
  spec_.reranker.activation = Activation::kSigmoid;
  spec_.outputs = {{"score", OutputKind::kPairScore, 1, {}}};
  // The heads are built from the spec once, with the pipeline.
  pipeline_ =
      std::make_unique<TextPipeline>(spec_, *tokenizer_, std::make_unique<FakeRerankSession>());
  const std::vector<TextRow> rows = {{"hello", "foo"}, {"hello", ""}, {"world", "hello"}};
  BatchResult result;
  pipeline_->Run(rows, {true}, &result);
  EXPECT_EQ(result.errors[0], "");
  EXPECT_NE(result.errors[1], "");
  EXPECT_EQ(result.errors[2], "");
  ASSERT_EQ(result.outputs[0].fp32.size(), 3u);
  EXPECT_NEAR(result.outputs[0].fp32[0], 1.0 / (1.0 + std::exp(-1.0)), 1e-7);
  EXPECT_FLOAT_EQ(result.outputs[0].fp32[1], 0.0f);
  EXPECT_NEAR(result.outputs[0].fp32[2], 1.0 / (1.0 + std::exp(1.0)), 1e-7);
  EXPECT_EQ(result.outputs[0].layout, OutputLayout::kPerRow);  // no per-request list
}

}  // namespace
}  // namespace fasterbert
