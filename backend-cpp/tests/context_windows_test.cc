// Context windows against what HF tokenizers 0.23.3 printed for a 60-token
// context, 13 tokens of room and stride 3 (Encoding.overflowing), and edges.
#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "pipeline/encoders/context_windows.h"
#include "text/tokenizer.h"

namespace fasterbert {
namespace {

std::vector<std::pair<size_t, size_t>> Ranges(size_t tokens, size_t room, size_t stride) {
  std::vector<std::pair<size_t, size_t>> out;
  for (const ContextRange r : ContextWindowRanges(tokens, room, stride)) out.emplace_back(r.begin, r.end);
  return out;
}

TEST(ContextWindowRangesTest, OverlapByTheStrideAndStopAtTheEnd) {
  EXPECT_EQ(Ranges(60, 13, 3), (std::vector<std::pair<size_t, size_t>>{
                                   {0, 13}, {10, 23}, {20, 33}, {30, 43}, {40, 53}, {50, 60}}));
  EXPECT_EQ(Ranges(53, 13, 3), (std::vector<std::pair<size_t, size_t>>{
                                   {0, 13}, {10, 23}, {20, 33}, {30, 43}, {40, 53}}));
  EXPECT_EQ(Ranges(13, 13, 0), (std::vector<std::pair<size_t, size_t>>{{0, 13}}));
  EXPECT_EQ(Ranges(0, 5, 1), (std::vector<std::pair<size_t, size_t>>{{0, 0}}));
}

// BERT's pair template: [CLS] q [SEP] c [SEP], type ids 1 from the context on.
TEST(EncodeContextWindowTest, LayoutTypeIdsAndOffsets) {
  const std::vector<text::Token> question = {{10, 0, 2}, {11, 3, 5}};
  const std::vector<text::Token> context = {{20, 0, 3}, {21, 4, 7}, {22, 8, 9}};
  text::SpecialTemplate bert;
  bert.pair_before = {{2}, {0}};
  bert.pair_between = {{3}, {0}};
  bert.pair_after = {{3}, {1}};
  text::Encoding out;
  const size_t first = EncodeContextWindow(question, context, {1, 3}, bert, &out);
  EXPECT_EQ(first, 4u);
  EXPECT_EQ(out.ids, (std::vector<int32_t>{2, 10, 11, 3, 21, 22, 3}));
  EXPECT_EQ(out.type_ids, (std::vector<int32_t>{0, 0, 0, 0, 1, 1, 1}));
  EXPECT_EQ(out.attention_mask, std::vector<int32_t>(7, 1));
  EXPECT_EQ(out.offsets[4], (std::pair<uint32_t, uint32_t>{4, 7}));
  EXPECT_EQ(out.offsets[5], (std::pair<uint32_t, uint32_t>{8, 9}));
  EXPECT_EQ(out.offsets[1], (std::pair<uint32_t, uint32_t>{0, 0}));
}

// RoBERTa's pair template (XLM-R's too): <s> q </s></s> c </s>, one type id.
TEST(EncodeContextWindowTest, RobertaPairTemplate) {
  const auto tokenizer = text::Tokenizer::FromTokenizerJson(
      FASTERBERT_REPO_ROOT "/test/assets/tokenizers/roberta-bpe.json");
  const std::vector<text::Token> question = {{100, 0, 3}};
  const std::vector<text::Token> context = {{200, 0, 2}, {201, 3, 6}};
  text::Encoding out;
  const size_t first =
      EncodeContextWindow(question, context, {0, 2}, tokenizer->special_template(), &out);
  EXPECT_EQ(first, 4u);
  EXPECT_EQ(out.ids, (std::vector<int32_t>{0, 100, 2, 2, 200, 201, 2}));
  EXPECT_EQ(out.type_ids, std::vector<int32_t>(7, 0));
  EXPECT_EQ(out.offsets[5], (std::pair<uint32_t, uint32_t>{3, 6}));
}

}  // namespace
}  // namespace fasterbert
