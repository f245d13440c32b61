#include "text/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace fasterbert::text {
namespace {

TEST(Utf8Test, AcceptsValidText) {
  EXPECT_EQ(FindInvalidUtf8(""), std::nullopt);
  EXPECT_EQ(FindInvalidUtf8("plain ascii, long enough for the 8-byte path"), std::nullopt);
  EXPECT_EQ(FindInvalidUtf8("\xC3\xA9"), std::nullopt);              // U+00E9 é
  EXPECT_EQ(FindInvalidUtf8("\xE2\x82\xAC"), std::nullopt);          // U+20AC €
  EXPECT_EQ(FindInvalidUtf8("\xF0\x9F\x98\x80"), std::nullopt);      // U+1F600
  EXPECT_EQ(FindInvalidUtf8("\xED\x9F\xBF"), std::nullopt);          // U+D7FF, last before surrogates
  EXPECT_EQ(FindInvalidUtf8("\xEE\x80\x80"), std::nullopt);          // U+E000, first after
  EXPECT_EQ(FindInvalidUtf8("\xF4\x8F\xBF\xBF"), std::nullopt);      // U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("\xC2\x80\xDF\xBF\xE0\xA0\x80\xF0\x90\x80\x80"), std::nullopt);
  EXPECT_EQ(FindInvalidUtf8(std::string("a\0b", 3)), std::nullopt);  // NUL is valid UTF-8
}

TEST(Utf8Test, RejectsOverlongForms) {
  EXPECT_EQ(FindInvalidUtf8("\xC0\xAF"), 0u);  // '/' in 2 bytes
  EXPECT_EQ(FindInvalidUtf8("\xC1\xBF"), 0u);
  EXPECT_EQ(FindInvalidUtf8("ab\xE0\x9F\xBF"), 2u);       // U+07FF in 3 bytes
  EXPECT_EQ(FindInvalidUtf8("\xF0\x8F\xBF\xBF"), 0u);     // U+FFFF in 4 bytes
}

TEST(Utf8Test, RejectsSurrogates) {
  EXPECT_EQ(FindInvalidUtf8("\xED\xA0\x80"), 0u);  // U+D800
  EXPECT_EQ(FindInvalidUtf8("x\xED\xBF\xBF"), 1u);  // U+DFFF
}

TEST(Utf8Test, RejectsTruncatedSequences) {
  EXPECT_EQ(FindInvalidUtf8("\xC3"), 0u);
  EXPECT_EQ(FindInvalidUtf8("\xE2\x82"), 0u);
  EXPECT_EQ(FindInvalidUtf8("ab\xF0\x9F\x98"), 2u);
  EXPECT_EQ(FindInvalidUtf8("\xE2\x82" "a"), 0u);  // a non-continuation byte cuts it short
  EXPECT_EQ(FindInvalidUtf8("\xF0\x9F" "ab"), 0u);
}

TEST(Utf8Test, RejectsCodePointsAboveMax) {
  EXPECT_EQ(FindInvalidUtf8("\xF4\x90\x80\x80"), 0u);  // U+110000
  EXPECT_EQ(FindInvalidUtf8("\xF5\x80\x80\x80"), 0u);
  EXPECT_EQ(FindInvalidUtf8("\xFF"), 0u);
}

TEST(Utf8Test, RejectsStrayContinuationBytes) {
  EXPECT_EQ(FindInvalidUtf8("\x80"), 0u);
  EXPECT_EQ(FindInvalidUtf8("a\xBF"), 1u);
  EXPECT_EQ(FindInvalidUtf8("\xC3\xA9\xA9"), 2u);
}

TEST(Utf8Test, ReportsOffsetAfterLongAsciiRun) {
  EXPECT_EQ(FindInvalidUtf8(std::string(17, 'a') + "\xFF"), 17u);
  EXPECT_EQ(FindInvalidUtf8(std::string(16, 'a') + "\xC3\xA9" + std::string(9, 'b') + "\xC3"), 27u);
}

TEST(Utf8Test, DecodeAndEncodeRoundTrip) {
  for (char32_t cp : {char32_t{0x41}, char32_t{0xE9}, char32_t{0x7FF}, char32_t{0x800},
                      char32_t{0x20AC}, char32_t{0xFFFF}, char32_t{0x10000}, char32_t{0x1F600},
                      char32_t{0x10FFFF}}) {
    std::string bytes;
    AppendUtf8(cp, &bytes);
    ASSERT_EQ(FindInvalidUtf8(bytes), std::nullopt);
    EXPECT_EQ(static_cast<int>(bytes.size()), Utf8Length(cp));
    char32_t decoded = 0;
    EXPECT_EQ(DecodeUtf8(bytes, 0, &decoded), Utf8Length(cp));
    EXPECT_EQ(decoded, cp);
  }
}

}  // namespace
}  // namespace fasterbert::text

namespace fasterbert::text {
namespace {

// DecodeUtf8Checked accepts exactly what FindInvalidUtf8 accepts, sequence
// by sequence: every 1-, 2- and 3-byte string, and 4-byte strings over the
// bytes that matter, each also cut short.
TEST(Utf8CheckedTest, AgreesWithTheValidatorOnEveryShortSequence) {
  auto check = [](const unsigned char* bytes, size_t n) {
    const std::string s(reinterpret_cast<const char*>(bytes), n);
    char32_t cp = 0;
    const int len = DecodeUtf8Checked(bytes, n, &cp);
    const auto bad = FindInvalidUtf8(s);
    // The first sequence is valid iff the validator does not stop at 0.
    const bool first_valid = !bad || *bad > 0;
    ASSERT_EQ(len > 0, first_valid) << "bytes " << std::hex << int(bytes[0]) << " n " << n;
    if (len > 0) {
      char32_t expect;
      ASSERT_EQ(DecodeUtf8(s, 0, &expect), len);
      ASSERT_EQ(cp, expect);
    }
  };
  unsigned char b[4];
  for (int x = 0; x < 256; ++x) {
    b[0] = static_cast<unsigned char>(x);
    check(b, 1);
    for (int y = 0; y < 256; ++y) {
      b[1] = static_cast<unsigned char>(y);
      check(b, 2);
      if (x < 0xE0) continue;
      for (int z = 0; z < 256; ++z) {
        b[2] = static_cast<unsigned char>(z);
        check(b, 3);
      }
    }
  }
  const unsigned char interesting[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xF4};
  for (int x = 0xF0; x < 0x100; ++x) {
    for (unsigned char y : interesting) {
      for (unsigned char z : interesting) {
        for (unsigned char w : interesting) {
          const unsigned char seq[4] = {static_cast<unsigned char>(x), y, z, w};
          for (size_t n = 1; n <= 4; ++n) check(seq, n);
        }
      }
    }
  }
}

}  // namespace
}  // namespace fasterbert::text
