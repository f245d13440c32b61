#include "text/bert_normalizer.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "test_util.h"

namespace fasterbert::text {
namespace {

using testing::TextOf;

BertNormalizerOptions Options(bool clean, bool chinese, bool strip, bool lower) {
  BertNormalizerOptions o;
  o.clean_text = clean;
  o.handle_chinese_chars = chinese;
  o.strip_accents = strip;
  o.lowercase = lower;
  return o;
}

std::vector<NormalizedChar> Normalize(const std::string& text, const BertNormalizerOptions& o) {
  NormalizerScratch scratch;
  std::vector<NormalizedChar> out;
  BertNormalizer(o).Normalize(text, 0, text.size(), &scratch, &out);
  return out;
}

std::string NormalizedText(const std::string& text, const BertNormalizerOptions& o) {
  return TextOf(Normalize(text, o));
}

std::vector<std::pair<uint32_t, uint32_t>> Alignments(const std::vector<NormalizedChar>& chars) {
  std::vector<std::pair<uint32_t, uint32_t>> out;
  for (const auto& c : chars) out.emplace_back(c.start, c.end);
  return out;
}

const BertNormalizerOptions kCleanOnly = Options(true, false, false, false);

TEST(BertNormalizerTest, CleanTextRemovesNulReplacementAndControls) {
  EXPECT_EQ(NormalizedText(std::string("a\0b", 3), kCleanOnly), "ab");
  EXPECT_EQ(NormalizedText("a\xEF\xBF\xBD" "b", kCleanOnly), "ab");   // U+FFFD
  EXPECT_EQ(NormalizedText("a\x01\x1F\x7F" "b", kCleanOnly), "ab");    // Cc
  EXPECT_EQ(NormalizedText("a\xE2\x80\x8B" "b", kCleanOnly), "ab");    // U+200B, Cf
  EXPECT_EQ(NormalizedText("a\xC2\xAD" "b", kCleanOnly), "ab");        // U+00AD soft hyphen, Cf
  EXPECT_EQ(NormalizedText("a\xEE\x80\x80" "b", kCleanOnly), "ab");    // U+E000, Co
  EXPECT_EQ(NormalizedText("a\xC2\x85" "b", kCleanOnly), "ab");        // U+0085: Cc before whitespace
  EXPECT_EQ(NormalizedText("a\x0B\x0C" "b", kCleanOnly), "ab");        // VT, FF: Cc too
}

TEST(BertNormalizerTest, CleanTextMapsWhitespaceToSpace) {
  EXPECT_EQ(NormalizedText("a\tb\nc\rd", kCleanOnly), "a b c d");
  EXPECT_EQ(NormalizedText("a\xC2\xA0" "b\xE3\x80\x80" "c\xE2\x80\xA8" "d", kCleanOnly),
            "a b c d");  // U+00A0, U+3000, U+2028
  // The space keeps the alignment of what it replaced.
  const auto chars = Normalize("a\xE3\x80\x80" "b", kCleanOnly);
  EXPECT_EQ(Alignments(chars), (std::vector<std::pair<uint32_t, uint32_t>>{{0, 1}, {1, 4}, {4, 5}}));
}

// HF's comment says Cn is removed, but its is_other() is Cc|Cf|Co only.
TEST(BertNormalizerTest, HfQuirkUnassignedCodePointsAreKept) {
  EXPECT_EQ(NormalizedText("a\xCD\xB8" "b", kCleanOnly), "a\xCD\xB8" "b");  // U+0378
}

// HF's Unicode 8.0 tables: U+0890 (Cf since Unicode 14) is not a control.
TEST(BertNormalizerTest, HfQuirkCategoriesAreUnicode8) {
  EXPECT_EQ(NormalizedText("a\xE0\xA2\x90" "b", kCleanOnly), "a\xE0\xA2\x90" "b");
}

TEST(BertNormalizerTest, WithoutCleanTextControlsStay) {
  const auto o = Options(false, false, false, false);
  EXPECT_EQ(NormalizedText("a\x01\tb", o), "a\x01\tb");
}

TEST(BertNormalizerTest, SpacesAroundChineseCharacters) {
  const auto o = Options(true, true, false, false);
  const auto chars = Normalize("ab\xE4\xB8\xAD" "c", o);  // ab中c
  EXPECT_EQ(TextOf(chars), "ab \xE4\xB8\xAD c");
  // The spaces and the ideograph all point at the ideograph's bytes.
  EXPECT_EQ(Alignments(chars), (std::vector<std::pair<uint32_t, uint32_t>>{
                                   {0, 1}, {1, 2}, {2, 5}, {2, 5}, {2, 5}, {5, 6}}));
  // Hiragana and Hangul are not in the ranges.
  EXPECT_EQ(NormalizedText("\xE3\x81\x82\xED\x95\x9C", o), "\xE3\x81\x82\xED\x95\x9C");
}

// HF starts that range at 0x2B920 where it should be 0x2B820.
TEST(BertNormalizerTest, HfQuirkChineseRangeStartsAt2B920) {
  const auto o = Options(true, true, false, false);
  EXPECT_EQ(NormalizedText("a\xF0\xAB\xA0\xA0" "b", o), "a\xF0\xAB\xA0\xA0" "b");    // U+2B820
  EXPECT_EQ(NormalizedText("a\xF0\xAB\xA4\xA0" "b", o), "a \xF0\xAB\xA4\xA0 b");  // U+2B920
}

TEST(BertNormalizerTest, StripAccentsDecomposesAndDropsNonspacingMarks) {
  const auto o = Options(true, true, true, false);
  const auto chars = Normalize("Caf\xC3\xA9", o);  // Café
  EXPECT_EQ(TextOf(chars), "Cafe");
  EXPECT_EQ(chars.back().start, 3u);
  EXPECT_EQ(chars.back().end, 5u);
  EXPECT_EQ(NormalizedText("e\xCC\x81", o), "e");  // already decomposed
  EXPECT_EQ(NormalizedText("\xC3\x85ngstr\xC3\xB6m", o), "Angstrom");
  // Spacing marks (Mc) and enclosing marks stay.
  EXPECT_EQ(NormalizedText("\xE0\xA4\x95\xE0\xA4\xBE", o), "\xE0\xA4\x95\xE0\xA4\xBE");  // का
}

TEST(BertNormalizerTest, StripAccentsDecomposesHangulAlgorithmically) {
  const auto o = Options(true, true, true, false);
  const auto chars = Normalize("\xED\x95\x9C", o);  // 한 = ᄒ ᅡ ᆫ
  EXPECT_EQ(TextOf(chars), "\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB");
  EXPECT_EQ(Alignments(chars), (std::vector<std::pair<uint32_t, uint32_t>>{{0, 3}, {0, 3}, {0, 3}}));
}

// HF's NFD is Unicode 9.0 and its Mn table Unicode 8.0: U+1734 (Mn then, Mc
// now) is stripped, U+0898 (Mn added in 14.0) is not.
TEST(BertNormalizerTest, HfQuirkAccentTablesAreUnicode8) {
  const auto o = Options(true, true, true, false);
  EXPECT_EQ(NormalizedText("a\xE1\x9C\xB4", o), "a");
  EXPECT_EQ(NormalizedText("a\xE0\xA2\x98", o), "a\xE0\xA2\x98");
}

// Canonical reordering moves U+302E (class 224) before U+0301 (class 230);
// HF then hands out alignments by position, so U+302E gets the bytes of the
// U+0301 it displaced.
TEST(BertNormalizerTest, HfQuirkReorderedMarkTakesNeighbourAlignment) {
  const auto o = Options(true, true, true, false);
  const auto chars = Normalize("a\xCC\x81\xE3\x80\xAE", o);  // a U+0301 U+302E
  EXPECT_EQ(TextOf(chars), "a\xE3\x80\xAE");
  EXPECT_EQ(Alignments(chars), (std::vector<std::pair<uint32_t, uint32_t>>{{0, 1}, {1, 3}}));
}

TEST(BertNormalizerTest, LowercaseKeepsAccentsWhenNotStripping) {
  const auto o = Options(true, true, false, true);
  EXPECT_EQ(NormalizedText("\xC3\x80" "B", o), "\xC3\xA0" "b");  // ÀB -> àb
  EXPECT_EQ(NormalizedText("HELLO World", o), "hello world");
}

TEST(BertNormalizerTest, LowercaseCanProduceTwoCharsWithOneAlignment) {
  const auto o = Options(true, true, false, true);
  const auto chars = Normalize("x\xC4\xB0", o);  // xİ -> x i U+0307
  EXPECT_EQ(TextOf(chars), "xi\xCC\x87");
  EXPECT_EQ(Alignments(chars), (std::vector<std::pair<uint32_t, uint32_t>>{{0, 1}, {1, 3}, {1, 3}}));
  // Stripping first turns İ into I + U+0307 and drops the mark.
  EXPECT_EQ(NormalizedText("\xC4\xB0", Options(true, true, true, true)), "i");
}

// Rust's char::to_lowercase maps one char at a time: no final sigma.
TEST(BertNormalizerTest, LowercaseIsPerCharWithoutFinalSigma) {
  const auto o = Options(true, true, false, true);
  EXPECT_EQ(NormalizedText("\xCE\x9F\xCE\x94\xCE\x9F\xCE\xA3", o),   // ΟΔΟΣ
            "\xCE\xBF\xCE\xB4\xCE\xBF\xCF\x83");                     // οδοσ
}

// Rust's char::to_lowercase knows Unicode 16.0: U+A7CB (added in 16.0)
// lowercases to U+0264 although Unicode 14.0 has no such letter.
TEST(BertNormalizerTest, HfQuirkLowercaseIsNewerUnicode) {
  EXPECT_EQ(NormalizedText("\xEA\x9F\x8B", Options(true, true, false, true)), "\xC9\xA4");
}

TEST(BertNormalizerTest, FullPipelineOrder) {
  const auto o = Options(true, true, true, true);
  const auto chars = Normalize("\tH\xC3\xA9\x01" "LLO\xE4\xB8\x96", o);  // \tHé\x01LLO世
  EXPECT_EQ(TextOf(chars), " hello \xE4\xB8\x96 ");
  EXPECT_EQ(chars[2].start, 2u);  // é
  EXPECT_EQ(chars[2].end, 4u);
  EXPECT_EQ(chars[3].start, 5u);  // the control char at 4 is gone
}

TEST(BertNormalizerTest, AlignmentsAreAbsoluteForASubrange) {
  NormalizerScratch scratch;
  std::vector<NormalizedChar> out;
  const std::string text = "xxAbyy";
  BertNormalizer(Options(true, true, true, true)).Normalize(text, 2, 4, &scratch, &out);
  EXPECT_EQ(TextOf(out), "ab");
  EXPECT_EQ(out[0].start, 2u);
  EXPECT_EQ(out[1].end, 4u);
}

}  // namespace
}  // namespace fasterbert::text
