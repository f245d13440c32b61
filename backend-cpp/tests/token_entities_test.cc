// NER post-processing against hand-worked cases of HF's
// TokenClassificationPipeline rules: sub-word detection, each aggregation
// strategy, B-/I- grouping, ignored labels, offsets in bytes and code points,
// [UNK] words and the JSON keys.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "ops/token_entities.h"
#include "text/decoders.h"

namespace fasterbert::ops {
namespace {

const std::vector<std::string> kLabels = {"O", "B-PER", "I-PER", "B-LOC", "I-LOC"};

// Logits that put `hot` on label `id` and 0 elsewhere.
std::vector<float> Hot(size_t id, float hot = 5.0f) {
  std::vector<float> v(kLabels.size(), 0.0f);
  v[id] = hot;
  return v;
}

double HotProb(float hot = 5.0f) {
  return std::exp(hot) / (std::exp(hot) + static_cast<double>(kLabels.size() - 1));
}

// BERT's words: by the "##" prefix, joined by the WordPiece decoder.
TokenWords BertWords() {
  TokenWords words;
  words.join = [decoder = text::Decoder::WordPiece("##", true)](const std::vector<std::string>& tokens) {
    return decoder.Decode(tokens);
  };
  return words;
}

TokenPiece Piece(int64_t index, const std::vector<float>& logits, std::string token, int64_t start, int64_t end) {
  TokenPiece p;
  p.index = index;
  p.logits = logits.data();
  p.token = std::move(token);
  p.start_byte = start;
  p.end_byte = end;
  return p;
}

TEST(TokenEntities, SubwordIsLengthMismatchOfTokenAndSpan) {
  const std::string text = "playing";
  const std::vector<float> l = Hot(0);
  EXPECT_FALSE(IsSubword(text, Piece(1, l, "play", 0, 4)));
  EXPECT_TRUE(IsSubword(text, Piece(2, l, "##ing", 4, 7)));
  TokenPiece unk = Piece(3, l, "[UNK]", 0, 4);
  unk.unknown = true;
  EXPECT_FALSE(IsSubword(text, unk));
}

// "john smith in paris" with per-token labels; "smith" is "sm" "##ith".
struct Sentence {
  std::string text = "john smith in paris";
  std::vector<float> john = Hot(1), sm = Hot(2), ith = Hot(3, 6.0f), in = Hot(0), paris = Hot(3);
  std::vector<TokenPiece> pieces() const {
    return {Piece(1, john, "john", 0, 4), Piece(2, sm, "sm", 5, 7), Piece(3, ith, "##ith", 7, 10),
            Piece(4, in, "in", 11, 13), Piece(5, paris, "paris", 14, 19)};
  }
};

TEST(TokenEntities, NoneKeepsTokensAndDropsO) {
  Sentence s;
  const auto e = DecodeTokenEntities(s.text, s.pieces(), kLabels, TokenAggregation::kNone, {"O"}, BertWords());
  ASSERT_EQ(e.size(), 4u);
  EXPECT_EQ(e[0].label, "B-PER");
  EXPECT_EQ(e[0].index, 1);
  EXPECT_EQ(e[2].label, "B-LOC");
  EXPECT_EQ(e[2].word, "##ith");
  EXPECT_NEAR(e[0].score, HotProb(), 1e-6);
}

TEST(TokenEntities, SimpleSplitsAtBTagsEvenInsideWords) {
  Sentence s;
  const auto e = DecodeTokenEntities(s.text, s.pieces(), kLabels, TokenAggregation::kSimple, {"O"}, BertWords());
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(e[0].label, "PER");
  EXPECT_EQ(e[0].word, "john sm");
  EXPECT_EQ(e[0].start_char, 0);
  EXPECT_EQ(e[0].end_char, 7);
  EXPECT_NEAR(e[0].score, HotProb(), 1e-6);
  EXPECT_EQ(e[1].label, "LOC");
  EXPECT_EQ(e[1].word, "##ith");  // HF decodes a lone sub-word as it is
  EXPECT_EQ(e[2].word, "paris");
  EXPECT_EQ(e[2].start_byte, 14);
}

TEST(TokenEntities, FirstUsesTheFirstPieceOfAWord) {
  Sentence s;
  const auto e = DecodeTokenEntities(s.text, s.pieces(), kLabels, TokenAggregation::kFirst, {"O"}, BertWords());
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].label, "PER");
  EXPECT_EQ(e[0].word, "john smith");
  EXPECT_EQ(e[0].end_byte, 10);
  EXPECT_EQ(e[1].word, "paris");
}

TEST(TokenEntities, MaxUsesTheMostConfidentPiece) {
  Sentence s;
  const auto e = DecodeTokenEntities(s.text, s.pieces(), kLabels, TokenAggregation::kMax, {"O"}, BertWords());
  ASSERT_EQ(e.size(), 3u);  // "smith" takes ##ith's B-LOC (6 > 5)
  EXPECT_EQ(e[0].word, "john");
  EXPECT_EQ(e[1].label, "LOC");
  EXPECT_EQ(e[1].word, "smith");
  EXPECT_NEAR(e[1].score, HotProb(6.0f), 1e-6);
}

TEST(TokenEntities, MaxTiesAtFloatOneGoToTheFirstPiece) {
  // HF's scores are numpy float32: 1 + 4e^-18.3 rounds to 1 there, so "sm"
  // scores 1.0f, as does "##ith" (1 + 4e^-25), and max() keeps the first.
  // In double (or double rounded to float, 0.99999994f) "##ith" would win.
  Sentence s;
  s.sm = Hot(2, 18.3f);
  s.ith = Hot(3, 25.0f);
  const auto e = DecodeTokenEntities(s.text, s.pieces(), kLabels, TokenAggregation::kMax, {"O"}, BertWords());
  ASSERT_GE(e.size(), 1u);
  EXPECT_EQ(e[0].label, "PER");
  EXPECT_EQ(e[0].word, "john smith");
}

TEST(TokenEntities, AverageMeansTheWordsProbabilities) {
  Sentence s;
  const auto e = DecodeTokenEntities(s.text, s.pieces(), kLabels, TokenAggregation::kAverage, {"O"}, BertWords());
  ASSERT_EQ(e.size(), 3u);
  // smith: mean of Hot(2,5) and Hot(3,6): B-LOC wins with (p6 + other5) / 2.
  const double other5 = 1.0 / (std::exp(5.0) + 4.0);
  EXPECT_EQ(e[1].label, "LOC");
  EXPECT_NEAR(e[1].score, (HotProb(6.0f) + other5) / 2.0, 1e-6);
}

TEST(TokenEntities, OffsetsCountCodePointsAndUnknownKeepsText) {
  const std::string text = "\xF0\x9F\x98\x80 caf\xC3\xA9 x";  // emoji, café, x
  const std::vector<float> per = Hot(1), o = Hot(0);
  TokenPiece emoji = Piece(1, per, "[UNK]", 0, 4);
  emoji.unknown = true;
  const std::vector<TokenPiece> pieces = {emoji, Piece(2, per, "cafe", 5, 10), Piece(3, o, "x", 11, 12)};
  const auto e = DecodeTokenEntities(text, pieces, kLabels, TokenAggregation::kFirst, {"O"}, BertWords());
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].word, "\xF0\x9F\x98\x80");
  EXPECT_EQ(e[0].start_char, 0);
  EXPECT_EQ(e[0].end_char, 1);
  EXPECT_EQ(e[1].start_char, 2);
  EXPECT_EQ(e[1].end_char, 6);
  EXPECT_EQ(e[1].start_byte, 5);
  EXPECT_EQ(e[1].end_byte, 10);
}

TEST(TokenEntities, WithoutAPrefixSpacesMarkTheWords) {
  // HF's fallback: start_ind > 0 and " " not in text[start - 1 : start + 1].
  const std::string text = "Zürich ist schön";
  const std::vector<float> l = Hot(0);
  EXPECT_FALSE(IsSubwordBySpaces(text, Piece(1, l, "▁Zü", 0, 3)));   // the text's start
  EXPECT_TRUE(IsSubwordBySpaces(text, Piece(2, l, "rich", 3, 7)));   // "ü" before, "r" first
  EXPECT_FALSE(IsSubwordBySpaces(text, Piece(3, l, "▁ist", 7, 11)));  // its first char is the space
  EXPECT_FALSE(IsSubwordBySpaces(text, Piece(4, l, "ist", 8, 11)));   // the space before it
  EXPECT_TRUE(IsSubwordBySpaces(text, Piece(5, l, "n", 17, 18)));      // "ö" before it
  EXPECT_TRUE(IsSubwordBySpaces(text, Piece(6, l, "Ġ", 18, 18)));      // the end, after "n"
  TokenPiece unk = Piece(7, l, "<unk>", 13, 15);
  unk.unknown = true;
  EXPECT_FALSE(IsSubwordBySpaces(text, unk));
}

TEST(TokenEntities, FamilyWordsGroupBySpacesAndJoinWithTheDecoder) {
  // "Zürich ist" as a Metaspace tokenizer cuts it: ▁Zü rich ▁ist.
  const std::string text = "Zürich ist";
  const std::vector<float> loc = Hot(3), o = Hot(0);
  const std::vector<TokenPiece> pieces = {Piece(1, loc, "▁Zü", 0, 3), Piece(2, o, "rich", 3, 7),
                                          Piece(3, o, "▁ist", 7, 11)};
  TokenWords words;
  words.by_length = false;
  words.join = [](const std::vector<std::string>& tokens) {
    std::string out;
    for (const std::string& t : tokens) out += "<" + t + ">";
    return out;
  };
  const auto e = DecodeTokenEntities(text, pieces, kLabels, TokenAggregation::kFirst, {"O"}, words);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].label, "LOC");
  // The word's tokens joined, then the group's words joined again (as HF).
  EXPECT_EQ(e[0].word, "<<▁Zü><rich>>");
  EXPECT_EQ(e[0].end_byte, 7);
}

TEST(TokenEntities, JsonHasHfKeys) {
  TokenEntity e{"PER", 1, 0.5f, "jo\"hn", -1, 0, 4, 0, 4};
  EXPECT_EQ(TokenEntitiesJson({e}, TokenAggregation::kSimple),
            "[{\"entity_group\":\"PER\",\"score\":0.5,\"word\":\"jo\\\"hn\",\"start\":0,\"end\":4,"
            "\"start_byte\":0,\"end_byte\":4}]");
  e.index = 3;
  EXPECT_EQ(TokenEntitiesJson({e}, TokenAggregation::kNone).substr(0, 39),
            "[{\"entity\":\"PER\",\"score\":0.5,\"index\":3,");
  EXPECT_EQ(TokenEntitiesJson({}, TokenAggregation::kNone), "[]");
}

}  // namespace
}  // namespace fasterbert::ops
