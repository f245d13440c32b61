// The pipeline under a token budget (spec.max_batch_tokens): a batch over it
// is split into several engine calls, each within the budget, and every row
// still gets the embedding it gets without a budget.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "pipeline/text_pipeline.h"
#include "tests/id_position_session.h"
#include "text/tests/test_util.h"

namespace fasterbert {
namespace {

using testing::IdPositionSession;

class TokenBudgetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // A file of its own: ctest runs the tests of this fixture in parallel.
    text::testing::TempVocab vocab({"[PAD]", "[UNK]", "[CLS]", "[SEP]", "hello", "world", "foo"});
    tokenizer_ = text::Tokenizer::FromBert(
        text::BertTokenizer::FromVocabFile(vocab.path(), text::BertTokenizerOptions{}));
  }

  // Runs `rows` through a pipeline with the given budget; returns the
  // embeddings and leaves the engine calls in `calls`.
  BatchResult Run(int max_batch_tokens, const std::vector<std::string_view>& rows,
                  std::vector<std::pair<int64_t, int64_t>>* calls,
                  const engines::ShapeLimits& limits = {}) {
    PipelineSpec spec;
    spec.text_inputs = {"text"};
    spec.tokenizer.max_length = 16;
    spec.max_batch_tokens = max_batch_tokens;
    spec.engine.token_embeddings = "last_hidden_state";
    spec.engine.hidden_size = 2;
    spec.outputs = {{"embedding", OutputKind::kSentenceEmbedding, 2, {PostOp::kMeanPool}}};
    auto session = std::make_unique<IdPositionSession>();
    IdPositionSession* recorder = session.get();
    TextPipeline pipeline(spec, *tokenizer_, std::move(session), limits);
    std::vector<TextRow> text_rows;
    for (std::string_view row : rows) text_rows.push_back({row, {}});
    BatchResult result;
    pipeline.Run(text_rows, {true}, &result);
    *calls = recorder->calls;
    return result;
  }

  std::unique_ptr<text::Tokenizer> tokenizer_;
};

TEST_F(TokenBudgetTest, SplitBatchGivesTheSameEmbeddingsAsOneCall) {
  // Token counts with [CLS]/[SEP]: 3, 8, 4, 3, 7, and an invalid row.
  const std::string bad = "hello \xff";
  const std::vector<std::string_view> rows = {
      "foo", "hello world foo hello world foo", "hello world", bad, "foo", "world world world foo foo"};
  std::vector<std::pair<int64_t, int64_t>> one, split;
  const BatchResult whole = Run(0, rows, &one);
  const BatchResult parts = Run(16, rows, &split);

  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0], std::make_pair(int64_t{5}, int64_t{8}));
  EXPECT_EQ(whole.engine_calls, 1u);

  // Longest first under 16 tokens a call: [8, 7] | [4, 3, 3].
  ASSERT_EQ(split.size(), 2u);
  EXPECT_EQ(split[0], std::make_pair(int64_t{2}, int64_t{8}));
  EXPECT_EQ(split[1], std::make_pair(int64_t{3}, int64_t{4}));
  EXPECT_EQ(parts.engine_calls, 2u);
  for (const auto& call : split) EXPECT_LE(call.first * call.second, 16);

  ASSERT_EQ(parts.errors, whole.errors);
  EXPECT_NE(parts.errors[3].find("UTF-8"), std::string::npos);
  ASSERT_EQ(parts.outputs[0].fp32.size(), whole.outputs[0].fp32.size());
  for (size_t i = 0; i < whole.outputs[0].fp32.size(); ++i) {
    EXPECT_FLOAT_EQ(parts.outputs[0].fp32[i], whole.outputs[0].fp32[i]) << "value " << i;
  }
}

TEST_F(TokenBudgetTest, AllBadBatchMakesNoEngineCall) {
  std::vector<std::pair<int64_t, int64_t>> calls;
  const BatchResult result = Run(16, {"", "hello \xff"}, &calls);
  EXPECT_TRUE(calls.empty());
  EXPECT_EQ(result.engine_calls, 0u);
}

TEST_F(TokenBudgetTest, EngineMaxBatchSplitsTheBatchAndKeepsEveryEmbedding) {
  const std::vector<std::string_view> rows = {"foo", "hello world foo", "hello", "world world",
                                              "foo foo foo foo", "hello foo"};
  std::vector<std::pair<int64_t, int64_t>> one, split;
  const BatchResult whole = Run(0, rows, &one);
  const BatchResult parts = Run(0, rows, &split, engines::ShapeLimits{4, 0});
  ASSERT_EQ(split.size(), 2u);
  EXPECT_EQ(split[0].first, 4);
  EXPECT_EQ(split[1].first, 2);
  EXPECT_EQ(parts.engine_calls, 2u);
  ASSERT_EQ(parts.errors, whole.errors);
  ASSERT_EQ(parts.outputs[0].fp32.size(), whole.outputs[0].fp32.size());
  for (size_t i = 0; i < whole.outputs[0].fp32.size(); ++i) {
    EXPECT_FLOAT_EQ(parts.outputs[0].fp32[i], whole.outputs[0].fp32[i]) << "value " << i;
  }
}

TEST_F(TokenBudgetTest, RowLongerThanTheEngineAcceptsIsAnErrorForItsRequestOnly) {
  // max_length 16 but an engine exported for at most 5 tokens a row.
  std::vector<std::pair<int64_t, int64_t>> calls;
  const BatchResult result =
      Run(0, {"foo", "hello world foo hello world foo", "hello world"}, &calls,
          engines::ShapeLimits{0, 5});
  EXPECT_TRUE(result.errors[0].empty());
  EXPECT_NE(result.errors[1].find("8 tokens, over the 5 the engine accepts"), std::string::npos)
      << result.errors[1];
  EXPECT_TRUE(result.errors[2].empty());
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0], std::make_pair(int64_t{2}, int64_t{4}));
}

}  // namespace
}  // namespace fasterbert
