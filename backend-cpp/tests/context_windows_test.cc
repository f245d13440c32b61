// Context windows against what HF tokenizers 0.23.3 printed for a 60-token
// context, 13 tokens of room and stride 3 (Encoding.overflowing), and edges.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "pipeline/encoders/context_windows.h"
#include "text/tokenizer.h"
#include "text/vocab.h"

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

// The context's words go to the window's context positions only.
TEST(EncodeContextWindowTest, ContextWordsAtContextPositions) {
  const auto tokenizer = text::Tokenizer::FromTokenizerJson(
      FASTERBERT_REPO_ROOT "/test/assets/tokenizers/roberta-bpe.json");
  const std::vector<text::Token> question = {{100, 0, 3}};
  const std::vector<text::Token> context = {{200, 0, 2}, {201, 2, 6}, {202, 7, 9}};
  const std::vector<uint32_t> words = {0, 0, 1};
  text::Encoding out;
  EncodeContextWindow(question, context, {1, 3}, tokenizer->special_template(), &out);
  EXPECT_TRUE(out.words.empty());
  EncodeContextWindow(question, context, {1, 3}, tokenizer->special_template(), &out, &words);
  constexpr uint32_t kNo = text::Encoding::kNoWord;
  EXPECT_EQ(out.words, (std::vector<uint32_t>{kNo, kNo, kNo, kNo, 0, 1, kNo}));
}

// TokenizeWords' words against HF tokenizers' Encoding.word_ids for the same
// texts and files (HF's values, from the .venv's tokenizers): byte-level BPE
// (GPT-2 splits), Unigram (Metaspace splits: punctuation stays in the word),
// BPE with a Whitespace pre-tokenizer, and the fast BERT path (pieces after
// "##" continue a word; punctuation, each CJK char and [MASK] are words).
std::vector<uint32_t> Words(const text::Tokenizer& tokenizer, const std::string& text) {
  std::vector<text::Token> tokens;
  std::vector<uint32_t> words;
  tokenizer.TokenizeWords(text, &tokens, &words);
  EXPECT_EQ(words.size(), tokens.size());
  std::vector<text::Token> plain;
  tokenizer.Tokenize(text, &plain);  // words change nothing else
  EXPECT_EQ(plain.size(), tokens.size());
  return words;
}

const std::string kLatin = "Hello, world! Don't re-tokenize na\xc3\xafve caf\xc3\xa9's";
const std::string kMixed =
    "\xe5\x8c\x97\xe4\xba\xac\xe6\x98\xaf\xe9\xa6\x96\xe9\x83\xbd <mask> Stra\xc3\x9f" "burg's 2,102,650";

TEST(TokenizeWordsTest, ByteLevelBpeAsHf) {
  const auto t = text::Tokenizer::FromTokenizerJson(
      FASTERBERT_REPO_ROOT "/test/assets/tokenizers/roberta-bpe.json");
  EXPECT_EQ(Words(*t, kLatin),
            (std::vector<uint32_t>{0, 0, 1, 2, 2, 2, 3, 4, 4, 5, 6, 7, 8, 8, 8, 8, 9, 9, 9, 9,
                                   10, 10, 10, 11}));
  EXPECT_EQ(Words(*t, kMixed), (std::vector<uint32_t>{0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 3, 3, 3, 3,
                                                      3, 4, 5, 6, 7, 7, 8, 9, 9}));
}

TEST(TokenizeWordsTest, UnigramMetaspaceAsHf) {
  const auto t = text::Tokenizer::FromTokenizerJson(
      FASTERBERT_REPO_ROOT "/test/assets/tokenizers/xlmr-unigram.json");
  EXPECT_EQ(Words(*t, kLatin),
            (std::vector<uint32_t>{0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3,
                                   4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5}));
  EXPECT_EQ(Words(*t, kMixed), (std::vector<uint32_t>{0, 0, 0, 0, 0, 1, 2, 2, 2, 2, 2, 2, 2, 2,
                                                      2, 2, 3, 3, 3, 3, 3, 3, 3}));
}

TEST(TokenizeWordsTest, WhitespaceBpeAsHf) {
  const auto t = text::Tokenizer::FromTokenizerJson(
      FASTERBERT_REPO_ROOT "/test/assets/tokenizers/bpe-whitespace.json");
  EXPECT_EQ(Words(*t, kLatin), (std::vector<uint32_t>{0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9,
                                                      9, 10, 10, 10, 11, 11, 11, 12, 13}));
}

TEST(TokenizeWordsTest, FastBertAsHf) {
  const char* vocab =
      "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nhello\n,\nworld\n!\ndon\n'\nt\nre\n-\ntoken\n##ize\n"
      "cafe\ns\n\xe5\x8c\x97\n\xe4\xba\xac\n\xe9\x83\xbd\nst\n##ra\n##\xc3\x9f\n##burg\n";
  const auto t = text::Tokenizer::FromBert(
      text::BertTokenizer::FromVocab(text::Vocab::FromString(vocab, "test")));
  EXPECT_EQ(Words(*t, "Hello, world! Don't re-tokenize caf\xc3\xa9's"),
            (std::vector<uint32_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 10, 11, 12}));
  EXPECT_EQ(Words(*t, "\xe5\x8c\x97\xe4\xba\xac\xe6\x98\xaf\xe9\xa6\x96\xe9\x83\xbd [MASK] Stra\xc3\x9f" "burg's"),
            (std::vector<uint32_t>{0, 1, 2, 3, 4, 5, 6, 6, 6, 6, 7, 8}));
}

}  // namespace
}  // namespace fasterbert
