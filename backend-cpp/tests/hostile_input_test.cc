// One request must not hurt its neighbours: an engine that fails or returns
// NaN on one row fails that row alone (the call is split and retried), a QA
// context is cut into at most maxWindows windows, an engine without a batch
// limit gets at most max_batch_size rows per call, and the test-only fault
// injection reads what it is given.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "engines/fault_injection.h"
#include "pipeline/text_pipeline.h"
#include "tests/id_position_session.h"
#include "text/tests/test_util.h"

namespace fasterbert {
namespace {

// The fake engine behind engines::InjectFaults, so the tests drive the same
// wrapper the adversarial end-to-end suite uses.
class IdPositionEngine final : public engines::Engine {
 public:
  testing::IdPositionSession* session = nullptr;
  std::unique_ptr<engines::EngineSession> OpenSession(const engines::SessionPlacement&) override {
    auto opened = std::make_unique<testing::IdPositionSession>();
    session = opened.get();
    return opened;
  }
};

// Vocab ids: [PAD]=0 [UNK]=1 [CLS]=2 [SEP]=3 hello=4 world=5 foo=6 boom=7 nan=8
class HostileInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    text::testing::TempVocab vocab(
        {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "hello", "world", "foo", "boom", "nan"});
    tokenizer_ = text::Tokenizer::FromBert(
        text::BertTokenizer::FromVocabFile(vocab.path(), text::BertTokenizerOptions{}));
    spec_.text_inputs = {"text"};
    spec_.tokenizer.max_length = 16;
    spec_.engine.token_embeddings = "last_hidden_state";
    spec_.engine.hidden_size = 2;
    spec_.outputs = {{"embedding", OutputKind::kSentenceEmbedding, 2, {PostOp::kMeanPool}}};
  }

  void MakePipeline(const std::string& faults) {
    auto engine = std::make_unique<IdPositionEngine>();
    IdPositionEngine* fake = engine.get();
    engine_ = engines::InjectFaults(std::move(engine), engines::FaultInjection::Parse(faults));
    pipeline_ = std::make_unique<TextPipeline>(spec_, *tokenizer_,
                                               engine_->OpenSession({}), engine_->limits());
    session_ = fake->session;
  }

  // The embedding a row gets alone: mean over its tokens of [id, position].
  std::vector<float> Alone(const std::string& text) {
    text::Encoding e;
    tokenizer_->Encode(text, 16, text::Truncation::kLongestFirst, &e);
    float ids = 0, positions = 0;
    for (size_t t = 0; t < e.ids.size(); ++t) ids += static_cast<float>(e.ids[t]), positions += t;
    const float n = static_cast<float>(e.ids.size());
    return {ids / n, positions / n};
  }

  std::unique_ptr<text::Tokenizer> tokenizer_;
  PipelineSpec spec_;
  std::unique_ptr<engines::Engine> engine_;
  testing::IdPositionSession* session_ = nullptr;
  std::unique_ptr<TextPipeline> pipeline_;
};

TEST_F(HostileInputTest, AnEngineFailureFailsOnlyTheRowsItFailsOn) {
  MakePipeline("engine-throw=7");
  const std::vector<std::string> texts = {"hello", "world foo", "hello boom", "foo", "world",
                                          "foo foo hello", "hello world", "boom"};
  std::vector<TextRow> rows;
  for (const std::string& t : texts) rows.push_back({t, {}});
  BatchResult result;
  pipeline_->Run(rows, {true}, &result);
  for (size_t r = 0; r < texts.size(); ++r) {
    const bool bad = texts[r].find("boom") != std::string::npos;
    if (bad) {
      EXPECT_NE(result.errors[r].find("injected engine fault"), std::string::npos) << r;
      ASSERT_NE(result.failed_step[r], nullptr);
      EXPECT_STREQ(result.failed_step[r], "engine");
      continue;
    }
    EXPECT_EQ(result.errors[r], "") << r;
    EXPECT_EQ(result.failed_step[r], nullptr);
    // The good rows' values are their own, as if each had run alone.
    const std::vector<float> want = Alone(texts[r]);
    EXPECT_FLOAT_EQ(result.outputs[0].fp32[r * 2], want[0]) << texts[r];
    EXPECT_FLOAT_EQ(result.outputs[0].fp32[r * 2 + 1], want[1]) << texts[r];
  }
  // Halving found the two bad rows in at most 2n - 1 attempts; the engine
  // itself ran (the fault throws before it) on the 6 good rows once each.
  EXPECT_LE(result.engine_calls, 15u);
  EXPECT_GT(result.engine_calls, 1u);
  int64_t rows_run = 0;
  for (const auto& [batch, seq] : session_->calls) rows_run += batch;
  EXPECT_EQ(rows_run, 6);
}

TEST_F(HostileInputTest, NanFromTheEngineFailsThatRowOnly) {
  MakePipeline("engine-nan=8");
  std::vector<TextRow> rows = {{"hello world", {}}, {"hello nan", {}}, {"foo", {}}};
  BatchResult result;
  pipeline_->Run(rows, {true}, &result);
  EXPECT_EQ(result.errors[0], "");
  EXPECT_NE(result.errors[1].find("NaN or Inf"), std::string::npos) << result.errors[1];
  ASSERT_NE(result.failed_step[1], nullptr);
  EXPECT_EQ(result.errors[2], "");
  EXPECT_FLOAT_EQ(result.outputs[0].fp32[4], Alone("foo")[0]);
  EXPECT_EQ(session_->calls.size(), 1u);  // NaN is no reason to call the engine again
}

TEST_F(HostileInputTest, AnEngineWithoutABatchLimitGetsAtMostMaxBatchSizeRowsPerCall) {
  spec_.max_batch_size = 4;
  MakePipeline("");
  std::vector<TextRow> rows(10, TextRow{"hello world", {}});
  BatchResult result;
  pipeline_->Run(rows, {true}, &result);
  ASSERT_EQ(session_->calls.size(), 3u);
  EXPECT_EQ(session_->calls[0].first, 4);
  EXPECT_EQ(session_->calls[1].first, 4);
  EXPECT_EQ(session_->calls[2].first, 2);
  for (const std::string& e : result.errors) EXPECT_EQ(e, "");
}

class CountingQaSession final : public engines::EngineSession {
 public:
  int64_t rows = 0;
  std::vector<engines::TensorView> Run(const engines::EncodedBatch& batch) override {
    rows += batch.batch;
    logits_.assign(static_cast<size_t>(batch.batch * batch.seq), 0.0f);
    return {{logits_.data(), {batch.batch, batch.seq}}, {logits_.data(), {batch.batch, batch.seq}}};
  }

 private:
  std::vector<float> logits_;
};

class HostileQaTest : public HostileInputTest {
 protected:
  // A QA pipeline (question, context) over a session that counts its rows;
  // max_length 10 is [CLS] q [SEP] c [SEP]: 7 tokens beside the question.
  CountingQaSession* MakeQaPipeline(int doc_stride, int max_windows) {
    spec_.text_inputs = {"question", "context"};
    spec_.encoding.kind = EncodingKind::kQuestionContext;
    spec_.encoding.doc_stride = doc_stride;
    spec_.encoding.max_windows = max_windows;
    spec_.tokenizer.max_length = 10;
    spec_.engine = {};
    spec_.engine.start_logits = "start_logits";
    spec_.engine.end_logits = "end_logits";
    spec_.answer_decoder = {1, 5, false};
    spec_.outputs = {{"answer", OutputKind::kAnswerText, 1, {}}};
    auto session = std::make_unique<CountingQaSession>();
    CountingQaSession* counter = session.get();
    pipeline_ = std::make_unique<TextPipeline>(spec_, *tokenizer_, std::move(session));
    return counter;
  }
};

TEST_F(HostileQaTest, AQuestionsContextMakesAtMostMaxWindowsWindows) {
  // 6 context tokens per window beside a 1-token question.
  CountingQaSession* counter = MakeQaPipeline(/*doc_stride=*/2, /*max_windows=*/3);

  std::string fits, too_long;
  for (int i = 0; i < 14; ++i) fits += "hello ";      // windows [0,6) [4,10) [8,14): 3
  for (int i = 0; i < 4000; ++i) too_long += "foo ";  // ~1000 windows without the limit
  BatchResult result;
  pipeline_->Run({{"world", fits}, {"world", too_long}, {"world", "foo"}}, {true}, &result);
  EXPECT_EQ(result.errors[0], "");
  EXPECT_NE(result.errors[1].find("4000 tokens, which make 1000 windows"), std::string::npos)
      << result.errors[1];
  EXPECT_NE(result.errors[1].find("limit of 3 (maxWindows)"), std::string::npos);
  EXPECT_EQ(result.failed_step[1], nullptr);  // the request's fault: a 400
  EXPECT_EQ(result.errors[2], "");
  EXPECT_EQ(counter->rows, 3 + 1);  // the long context reached no engine
}

// The room a question leaves, as HF tokenizers (only_second + stride) has it:
// windows no longer than the stride are an error only when the context must
// be cut; a question that leaves no room at all is always one.
TEST_F(HostileQaTest, AQuestionLeavingWindowsNoLongerThanTheStrideErrsOnlyWhenTheContextIsCut) {
  CountingQaSession* counter = MakeQaPipeline(/*doc_stride=*/2, /*max_windows=*/8);

  const std::string five_words = "world world world world world";  // room 2 = the stride
  BatchResult result;
  pipeline_->Run({{five_words, "hello foo"},          // fits in its 2 tokens: one window
                  {five_words, "hello foo hello"},    // must be cut into windows of 2
                  {five_words + " world world", "hello"}},  // 7 + 3 specials: no room
                 {true}, &result);
  EXPECT_EQ(result.errors[0], "");
  EXPECT_NE(result.errors[1].find("leaves context windows of 2 tokens, not more than the docStride of 2"),
            std::string::npos)
      << result.errors[1];
  EXPECT_NE(result.errors[2].find("has 7 tokens: with the 3 special tokens of a pair that leaves no room"),
            std::string::npos)
      << result.errors[2];
  EXPECT_EQ(counter->rows, 1);
}

TEST(FaultInjectionTest, ReadsItsSettingsAndNamesWhatItCannotRead) {
  const auto faults =
      engines::FaultInjection::Parse("engine-throw=12;engine-nan=34;batch-throw=BOOM BOOM");
  EXPECT_EQ(faults.engine_throw_token, 12);
  EXPECT_EQ(faults.engine_nan_token, 34);
  EXPECT_EQ(faults.batch_throw_text, "BOOM BOOM");
  EXPECT_TRUE(faults.active());
  EXPECT_FALSE(engines::FaultInjection::Parse("").active());
  try {
    engines::FaultInjection::Parse("engine-throw=x");
    FAIL() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("wants a token id, not 'x'"), std::string::npos);
  }
  EXPECT_THROW(engines::FaultInjection::Parse("explode=1"), std::invalid_argument);
}

}  // namespace
}  // namespace fasterbert
