// The normalization forms' building blocks on facts of the Unicode
// Character Database (UAX #15), and the change counts HF's crate gives a
// composition. The full comparison with HF is test/tokenizer/
// family_parity.py (the NFKC family and the NFC/NFKD/Digits variants).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "text/normalized_string.h"
#include "text/unicode_normalization.h"

namespace fasterbert::text {
namespace {

std::u32string Compatible(char32_t cp) {
  char32_t out[kMaxCompatibilityLength];
  const int n = DecomposeCompatible(cp, out);
  return std::u32string(out, out + n);
}

std::u32string Chars(const std::vector<NormalizedString::Change>& changes) {
  std::u32string out;
  for (const auto& c : changes) out.push_back(c.c);
  return out;
}

TEST(UnicodeNormalizationTest, ComposesPrimaryCompositesOnly) {
  EXPECT_EQ(Compose(U'A', 0x301), char32_t{0xC1});
  EXPECT_EQ(Compose(U'<', 0x338), char32_t{0x226E});
  EXPECT_EQ(Compose(0x915, 0x93C), char32_t{0});   // U+0958 is a composition exclusion
  EXPECT_EQ(Compose(0x2ADD, 0x338), char32_t{0});  // U+2ADC too
  EXPECT_EQ(Compose(U'K', 0x300), char32_t{0});
}

TEST(UnicodeNormalizationTest, ComposesHangulAlgorithmically) {
  EXPECT_EQ(Compose(0x1100, 0x1161), char32_t{0xAC00});  // L + V
  EXPECT_EQ(Compose(0xAC00, 0x11A8), char32_t{0xAC01});  // LV + T
  EXPECT_EQ(Compose(0xAC01, 0x11A8), char32_t{0});       // LVT + T
  EXPECT_EQ(Compose(0xAC00, 0x11A7), char32_t{0});       // not a trailing consonant
  EXPECT_EQ(Compose(0x1113, 0x1161), char32_t{0});       // not a modern leading consonant
}

TEST(UnicodeNormalizationTest, DecomposesCompatibilityCharsFully) {
  EXPECT_EQ(Compatible(0xFB01), U"fi");
  EXPECT_EQ(Compatible(0x338F), U"kg");
  EXPECT_EQ(Compatible(0xB2), U"2");
  EXPECT_EQ(Compatible(0xFF21), U"A");
  EXPECT_EQ(Compatible(0x1E9B), std::u32string({U's', 0x307}));  // ẛ: compatibility, then canonical
  EXPECT_EQ(Compatible(0xC5), std::u32string({U'A', 0x30A}));    // canonical only
  EXPECT_EQ(Compatible(0xAC01), std::u32string({0x1100, 0x1161, 0x11A8}));
  EXPECT_EQ(Compatible(U'a'), U"a");
}

TEST(UnicodeNormalizationTest, ComposesInCanonicalOrder) {
  // a U+0301 U+0323: the dot below (class 220) sorts first and composes.
  const auto nfc = NormalizationChanges("a\u0301\u0323", NormalizationForm::kNfc);
  EXPECT_EQ(Chars(nfc), std::u32string({0x1EA1, 0x301}));
  // A composite replaces its first part and removes the second: change -1.
  const auto composed = NormalizationChanges("e\u0301", NormalizationForm::kNfc);
  ASSERT_EQ(composed.size(), 1u);
  EXPECT_EQ(composed[0].c, char32_t{0xE9});
  EXPECT_EQ(composed[0].change, -1);
  // Singletons decompose and never come back.
  EXPECT_EQ(Chars(NormalizationChanges("\u212B", NormalizationForm::kNfc)), std::u32string({0xC5}));
  EXPECT_EQ(Chars(NormalizationChanges("\u2126", NormalizationForm::kNfkc)), std::u32string({0x3A9}));
  EXPECT_EQ(Chars(NormalizationChanges("\uFB01\u00B2", NormalizationForm::kNfkd)), U"fi2");
}

TEST(UnicodeNormalizationTest, AlignsComposedCharsWithTheirOriginals) {
  NormalizedString s("e\u0301x", 0);
  s.Transform(NormalizationChanges(s.get(), NormalizationForm::kNfc), 0);
  EXPECT_EQ(s.get(), "\u00E9x");
  // As in HF (its encoding of "e\u0301x" under NFC has é at chars (0, 1)):
  // é takes the alignment of the e it replaces, the removed U+0301 vanishes.
  EXPECT_EQ(s.InputRange(0, 2), NormalizedString::Alignment(0, 1));
  EXPECT_EQ(s.InputRange(2, 3), NormalizedString::Alignment(3, 4));
}

}  // namespace
}  // namespace fasterbert::text
