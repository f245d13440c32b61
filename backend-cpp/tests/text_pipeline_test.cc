// The batch runner with a fake engine: per-row error isolation, one engine
// call for the good rows, padding to the batch's longest row, pooling order,
// several outputs, outputs nobody asked for, classification and QA windows.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "pipeline/heads/head.h"
#include "pipeline/text_pipeline.h"
#include "text/tests/test_util.h"

namespace fasterbert {
namespace {

// Token t at position s gets the vector [input_id, 1]: mean pooling then
// yields the mean id of the real tokens, which the test can work out.
class FakeSession final : public engines::EngineSession {
 public:
  std::vector<engines::EncodedBatch> calls;
  std::vector<engines::TensorView> Run(const engines::EncodedBatch& batch) override {
    calls.push_back(batch);
    hidden_.assign(static_cast<size_t>(batch.batch * batch.seq * 2), 0.0f);
    for (int64_t i = 0; i < batch.batch * batch.seq; ++i) {
      hidden_[i * 2] = static_cast<float>(batch.input_ids[i]);
      hidden_[i * 2 + 1] = 1.0f;
    }
    return {{hidden_.data(), {batch.batch, batch.seq, 2}}};
  }

 private:
  std::vector<float> hidden_;
};

class TextPipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // A file of its own: ctest runs the tests of this fixture in parallel.
    text::testing::TempVocab vocab({"[PAD]", "[UNK]", "[CLS]", "[SEP]", "hello", "world", "foo"});
    tokenizer_ = text::Tokenizer::FromBert(
        text::BertTokenizer::FromVocabFile(vocab.path(), text::BertTokenizerOptions{}));
    spec_.text_inputs = {"text"};
    spec_.max_text_bytes = 64;
    spec_.tokenizer.max_length = 8;
    spec_.engine.token_embeddings = "last_hidden_state";
    spec_.engine.hidden_size = 2;
    spec_.outputs = {{"embedding", OutputKind::kSentenceEmbedding, 2, {PostOp::kMeanPool}}};
    auto session = std::make_unique<FakeSession>();
    fake_ = session.get();
    pipeline_ = std::make_unique<TextPipeline>(spec_, *tokenizer_, std::move(session));
  }

  std::unique_ptr<text::Tokenizer> tokenizer_;
  PipelineSpec spec_;
  FakeSession* fake_ = nullptr;
  std::unique_ptr<TextPipeline> pipeline_;
};

TEST_F(TextPipelineTest, BadRowsGetTheirOwnErrorAndSkipTheEngine) {
  const std::string bad_utf8 = "hello \xff world";
  const std::string huge(100, 'a');
  std::vector<TextRow> rows = {{"hello world", {}}, {bad_utf8, {}}, {"", {}}, {"foo", {}}, {huge, {}}};
  BatchResult result;
  pipeline_->Run(rows, {true}, &result);

  ASSERT_EQ(fake_->calls.size(), 1u);
  EXPECT_EQ(fake_->calls[0].batch, 2);  // only "hello world" and "foo"
  EXPECT_EQ(fake_->calls[0].seq, 4);    // [CLS] hello world [SEP], "foo" padded to it

  EXPECT_EQ(result.errors[0], "");
  EXPECT_NE(result.errors[1].find("UTF-8"), std::string::npos) << result.errors[1];
  EXPECT_NE(result.errors[2].find("empty"), std::string::npos);
  EXPECT_EQ(result.errors[3], "");
  EXPECT_NE(result.errors[4].find("limit of 64"), std::string::npos);

  // ids: [CLS]=2 hello=4 world=5 [SEP]=3 -> mean 3.5; [CLS] foo [SEP] -> (2+6+3)/3.
  EXPECT_FLOAT_EQ(result.outputs[0].fp32[0], 3.5f);
  EXPECT_FLOAT_EQ(result.outputs[0].fp32[1], 1.0f);
  EXPECT_FLOAT_EQ(result.outputs[0].fp32[3 * 2], 11.0f / 3.0f);
  EXPECT_FLOAT_EQ(result.outputs[0].fp32[3 * 2 + 1], 1.0f);
}

TEST_F(TextPipelineTest, AllBadBatchNeverCallsTheEngine) {
  BatchResult result;
  pipeline_->Run({{"", {}}, {"", {}}}, {true}, &result);
  EXPECT_TRUE(fake_->calls.empty());
  EXPECT_FALSE(result.errors[0].empty());
  EXPECT_FALSE(result.errors[1].empty());
}

TEST_F(TextPipelineTest, TruncatesToMaxLength) {
  BatchResult result;
  pipeline_->Run({{"hello hello hello hello hello hello hello hello hello", {}}}, {true}, &result);
  ASSERT_EQ(fake_->calls.size(), 1u);
  EXPECT_EQ(fake_->calls[0].seq, 8);
  EXPECT_EQ(result.errors[0], "");
}

TEST_F(TextPipelineTest, NoTruncationMakesOverlongTextAnError) {
  spec_.tokenizer.truncation = false;
  auto session = std::make_unique<FakeSession>();
  TextPipeline pipeline(spec_, *tokenizer_, std::move(session));
  BatchResult result;
  pipeline.Run({{"hello hello hello hello hello hello hello hello hello", {}}, {"hello", {}}}, {true},
               &result);
  EXPECT_FALSE(result.errors[0].empty());
  EXPECT_EQ(result.errors[1], "");
}

TEST_F(TextPipelineTest, APromptGoesInFrontOfEachTextAndTheLimitsCheckTheTextAlone) {
  spec_.text_prompts = {"foo "};
  auto session = std::make_unique<FakeSession>();
  FakeSession* fake = session.get();
  TextPipeline prompted(spec_, *tokenizer_, std::move(session));
  // 64 bytes, the limit: the prompt's 4 do not count against it.
  const std::string at_limit = "hello" + std::string(59, ' ');
  BatchResult result;
  prompted.Run({{"hello world", {}}, {"", {}}, {at_limit, {}}}, {true}, &result);
  EXPECT_EQ(result.errors[0], "");
  EXPECT_NE(result.errors[1].find("empty"), std::string::npos) << result.errors[1];
  EXPECT_EQ(result.errors[2], "") << result.errors[2];
  ASSERT_EQ(fake->calls.size(), 1u);
  ASSERT_EQ(fake->calls[0].seq, 5);
  // [CLS] foo hello world [SEP], then [CLS] foo hello [SEP] [PAD].
  const std::vector<int64_t> ids(fake->calls[0].input_ids, fake->calls[0].input_ids + 10);
  EXPECT_EQ(ids, (std::vector<int64_t>{2, 6, 4, 5, 3, 2, 6, 4, 3, 0}));
  EXPECT_FLOAT_EQ(result.outputs[0].fp32[0], 4.0f);
}

TEST_F(TextPipelineTest, NormalizeAfterPool) {
  spec_.outputs[0].post_ops = {PostOp::kClsPool, PostOp::kL2Normalize};
  auto session = std::make_unique<FakeSession>();
  TextPipeline pipeline(spec_, *tokenizer_, std::move(session));
  BatchResult result;
  pipeline.Run({{"hello", {}}}, {true}, &result);
  // [CLS] has id 2 -> [2, 1] / sqrt(5)
  EXPECT_NEAR(result.outputs[0].fp32[0], 2.0 / std::sqrt(5.0), 1e-6);
  EXPECT_NEAR(result.outputs[0].fp32[1], 1.0 / std::sqrt(5.0), 1e-6);
}

TEST_F(TextPipelineTest, SeveralOutputsAndOnlyTheWantedOnesAreComputed) {
  spec_.outputs = {{"embedding", OutputKind::kSentenceEmbedding, 2, {PostOp::kMeanPool}},
                   {"cls", OutputKind::kSentenceEmbedding, 2, {PostOp::kClsPool}},
                   {"tokens", OutputKind::kTokenCount, 1, {}}};
  auto session = std::make_unique<FakeSession>();
  FakeSession* fake = session.get();
  TextPipeline pipeline(spec_, *tokenizer_, std::move(session));
  BatchResult result;
  pipeline.Run({{"hello world", {}}, {"foo", {}}}, {false, true, true}, &result);
  EXPECT_TRUE(result.outputs[0].fp32.empty());
  ASSERT_EQ(result.outputs[1].fp32.size(), 4u);
  EXPECT_FLOAT_EQ(result.outputs[1].fp32[0], 2.0f);  // [CLS]
  EXPECT_EQ(result.outputs[2].int64, (std::vector<int64_t>{4, 3}));
  EXPECT_EQ(fake->calls.size(), 1u);

  // Only the token count: no engine call at all.
  pipeline.Run({{"hello world", {}}}, {false, false, true}, &result);
  EXPECT_EQ(fake->calls.size(), 1u);
  EXPECT_EQ(result.outputs[2].int64, (std::vector<int64_t>{4}));
}

// Logits [B, 3] = {id - 5, 0, 0.5} where id is the row's first real token.
class FakeClassifierSession final : public engines::EngineSession {
 public:
  std::vector<engines::TensorView> Run(const engines::EncodedBatch& batch) override {
    logits_.clear();
    for (int64_t b = 0; b < batch.batch; ++b) {
      logits_.push_back(static_cast<float>(batch.input_ids[b * batch.seq + 1] - 5));
      logits_.push_back(0.0f);
      logits_.push_back(0.5f);
    }
    return {{logits_.data(), {batch.batch, 3}}};
  }

 private:
  std::vector<float> logits_;
};

TEST_F(TextPipelineTest, ClassifierScoresAndTopLabels) {
  spec_.engine = {};
  spec_.engine.logits = "logits";
  spec_.engine.num_labels = 3;
  spec_.classifier.labels = {"zero", "one", "two"};
  spec_.outputs = {{"scores", OutputKind::kClassScores, 3, {}},
                   {"labels", OutputKind::kTopLabels, 2, {}},
                   {"label_scores", OutputKind::kTopLabelScores, 2, {}},
                   {"logits", OutputKind::kLogits, 3, {}}};
  TextPipeline pipeline(spec_, *tokenizer_, std::make_unique<FakeClassifierSession>());
  BatchResult result;
  pipeline.Run({{"hello", {}}, {"foo", {}}}, {true, true, true, true}, &result);
  // hello (4): logits {-1, 0, 0.5}; foo (6): {1, 0, 0.5}.
  const double hello_sum = std::exp(-1.0) + 1.0 + std::exp(0.5);
  EXPECT_NEAR(result.outputs[0].fp32[2], std::exp(0.5) / hello_sum, 1e-7);
  EXPECT_EQ(result.outputs[1].bytes, (std::vector<std::string>{"two", "one", "zero", "two"}));
  EXPECT_NEAR(result.outputs[2].fp32[0], std::exp(0.5) / hello_sum, 1e-7);
  EXPECT_FLOAT_EQ(result.outputs[3].fp32[3], 1.0f);

  spec_.classifier.activation = Activation::kSigmoid;
  spec_.classifier.has_threshold = true;
  spec_.classifier.threshold = 0.6f;
  TextPipeline multi_label(spec_, *tokenizer_, std::make_unique<FakeClassifierSession>());
  multi_label.Run({{"hello", {}}, {"foo", {}}}, {true, true, true, true}, &result);
  // sigmoid: hello {0.27, 0.5, 0.62} keeps "two" only; foo {0.73, 0.5, 0.62}.
  EXPECT_EQ(result.outputs[1].bytes, (std::vector<std::string>{"two", "", "zero", "two"}));
  EXPECT_FLOAT_EQ(result.outputs[2].fp32[1], 0.0f);
  EXPECT_NEAR(result.outputs[2].fp32[2], 1.0 / (1.0 + std::exp(-1.0)), 1e-7);
}

// Start logits 5 on "foo", end logits 5 on "world", 0 elsewhere.
class FakeQaSession final : public engines::EngineSession {
 public:
  std::vector<engines::EncodedBatch> calls;
  std::vector<std::vector<int64_t>> ids;
  std::vector<engines::TensorView> Run(const engines::EncodedBatch& batch) override {
    calls.push_back(batch);
    const size_t n = static_cast<size_t>(batch.batch * batch.seq);
    ids.emplace_back(batch.input_ids, batch.input_ids + n);
    starts_.assign(n, 0.0f);
    ends_.assign(n, 0.0f);
    for (size_t i = 0; i < n; ++i) {
      if (batch.input_ids[i] == 6) starts_[i] = 5.0f;
      if (batch.input_ids[i] == 5) ends_[i] = 5.0f;
    }
    return {{starts_.data(), {batch.batch, batch.seq}}, {ends_.data(), {batch.batch, batch.seq}}};
  }

 private:
  std::vector<float> starts_, ends_;
};

class QuestionAnsweringTest : public TextPipelineTest {
 protected:
  void MakePipeline(int n_best, bool null_answer) {
    spec_.text_inputs = {"question", "context"};
    spec_.encoding = {EncodingKind::kQuestionContext, 2};
    spec_.tokenizer.max_length = 10;
    spec_.engine = {};
    spec_.engine.start_logits = "start_logits";
    spec_.engine.end_logits = "end_logits";
    spec_.answer_decoder = {n_best, 5, null_answer};
    spec_.outputs = {{"answer", OutputKind::kAnswerText, n_best, {}},
                     {"score", OutputKind::kAnswerScore, n_best, {}},
                     {"start", OutputKind::kAnswerStart, n_best, {}},
                     {"end", OutputKind::kAnswerEnd, n_best, {}}};
    auto session = std::make_unique<FakeQaSession>();
    qa_ = session.get();
    pipeline_ = std::make_unique<TextPipeline>(spec_, *tokenizer_, std::move(session));
  }
  FakeQaSession* qa_ = nullptr;
};

TEST_F(QuestionAnsweringTest, LongContextIsCutIntoOverlappingWindows) {
  MakePipeline(2, false);
  BatchResult result;
  // 9 context tokens, 6 per window, stride 2: windows [0, 6) and [4, 9).
  const std::string context = "hello hello hello hello foo world hello hello hello";
  pipeline_->Run({{"hello", context}}, {true, true, true, true}, &result);
  ASSERT_EQ(result.errors[0], "");
  ASSERT_EQ(qa_->calls.size(), 1u);
  EXPECT_EQ(qa_->calls[0].batch, 2);
  EXPECT_EQ(qa_->calls[0].seq, 10);
  const std::vector<int64_t> second_window = {2, 4, 3, 6, 5, 4, 4, 4, 3, 0};
  EXPECT_EQ(std::vector<int64_t>(qa_->ids[0].begin() + 10, qa_->ids[0].end()), second_window);
  const int64_t* types = qa_->calls[0].token_type_ids;
  EXPECT_EQ(types[2], 0);
  EXPECT_EQ(types[3], 1);
  EXPECT_EQ(types[9], 1);
  // "foo world" in both windows is one answer (its scores added); the second is another text.
  EXPECT_EQ(result.outputs[0].bytes[0], "foo world");
  EXPECT_EQ(result.outputs[2].int64[0], 24);
  EXPECT_EQ(result.outputs[3].int64[0], 33);
  EXPECT_NE(result.outputs[0].bytes[1], "foo world");
  EXPECT_GT(result.outputs[1].fp32[0], result.outputs[1].fp32[1]);
}

TEST_F(QuestionAnsweringTest, AnswersOfOneTextIgnoringCaseAreOneAtTheFirstFound) {
  MakePipeline(3, false);
  BatchResult result;
  // foo (start) and world (end) twice: the spans "FOO World", "FOO World foo
  // world" and "foo world" score the same; the first and the last are one
  // text ignoring case, so one answer at the first, with both scores.
  pipeline_->Run({{"hello", "FOO World foo world"}}, {true, true, true, true}, &result);
  ASSERT_EQ(result.errors[0], "");
  EXPECT_EQ(result.outputs[0].bytes[0], "FOO World");
  EXPECT_EQ(result.outputs[2].int64[0], 0);
  EXPECT_EQ(result.outputs[3].int64[0], 9);
  EXPECT_EQ(result.outputs[0].bytes[1], "FOO World foo world");
  EXPECT_FLOAT_EQ(result.outputs[1].fp32[0], 2 * result.outputs[1].fp32[1]);
  EXPECT_EQ(result.outputs[0].bytes[2], "");  // no third text among the window's 3 best
  EXPECT_EQ(result.outputs[2].int64[2], -1);
}

TEST_F(QuestionAnsweringTest, NullAnswerAndPadding) {
  MakePipeline(3, true);
  BatchResult result;
  pipeline_->Run({{"hello", "world"}, {"hello hello hello hello hello hello hello", "foo"}},
                 {true, true, true, true}, &result);
  EXPECT_EQ(result.errors[0], "");
  // One context token: the span "world" and the null answer, then padding.
  EXPECT_EQ(result.outputs[0].bytes[0], "world");
  EXPECT_EQ(result.outputs[0].bytes[1], "");
  EXPECT_EQ(result.outputs[2].int64[1], 0);
  EXPECT_EQ(result.outputs[2].int64[2], -1);
  EXPECT_FLOAT_EQ(result.outputs[1].fp32[2], 0.0f);
  // A question that leaves no room for the context is its row's error only.
  EXPECT_NE(result.errors[1].find("input 'question' has 7 tokens"), std::string::npos)
      << result.errors[1];
}

// The heads' NaN/Inf check against std::isfinite: on random bit patterns
// (every class of float shows up) and at every position of a row.
TEST(AllFiniteTest, AgreesWithIsfinite) {
  std::mt19937 bits(5);
  std::vector<float> row(97, 0.25f);
  for (int i = 0; i < 200000; ++i) {
    uint32_t pattern = bits();
    if (i % 4 == 0) pattern |= 0x7f800000u;  // many more NaN and Inf than chance gives
    float value;
    std::memcpy(&value, &pattern, sizeof value);
    const size_t at = static_cast<size_t>(i) % row.size();
    row[at] = value;
    ASSERT_EQ(AllFinite(row.data(), row.size()), static_cast<bool>(std::isfinite(value)))
        << "bits 0x" << std::hex << pattern << " at " << std::dec << at;
    row[at] = 0.25f;
  }
  const float edges[] = {std::numeric_limits<float>::max(), std::numeric_limits<float>::lowest(),
                         std::numeric_limits<float>::denorm_min(), -0.0f};
  EXPECT_TRUE(AllFinite(edges, 4));
  EXPECT_TRUE(AllFinite(nullptr, 0));
}

}  // namespace
}  // namespace fasterbert
