#include "text/added_token_matcher.h"

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

namespace fasterbert::text {
namespace {

using Segments = std::vector<std::tuple<uint32_t, uint32_t, int32_t>>;
constexpr int32_t kText = AddedTokenMatcher::kText;

Segments Split(const AddedTokenMatcher& m, const std::string& text) {
  std::vector<AddedTokenMatcher::Segment> segments;
  m.Split(text, &segments);
  Segments out;
  for (const auto& s : segments) out.emplace_back(s.begin, s.end, s.id);
  return out;
}

TEST(AddedTokenMatcherTest, SplitsAroundExactMatches) {
  const AddedTokenMatcher m({{"[SEP]", 102}, {"[CLS]", 101}});
  EXPECT_EQ(Split(m, "a [SEP]b[CLS]"),
            (Segments{{0, 2, kText}, {2, 7, 102}, {7, 8, kText}, {8, 13, 101}}));
  EXPECT_EQ(Split(m, "[SEP][SEP]"), (Segments{{0, 5, 102}, {5, 10, 102}}));
  EXPECT_EQ(Split(m, "[sep] [SEP"), (Segments{{0, 10, kText}}));  // case-sensitive, whole token
  EXPECT_EQ(Split(m, ""), Segments{});
}

TEST(AddedTokenMatcherTest, LeftmostThenLongest) {
  const AddedTokenMatcher m({{"ab", 1}, {"abc", 2}, {"bcd", 3}});
  EXPECT_EQ(Split(m, "abcd"), (Segments{{0, 3, 2}, {3, 4, kText}}));
  EXPECT_EQ(Split(m, "xbcd"), (Segments{{0, 1, kText}, {1, 4, 3}}));
}

TEST(AddedTokenMatcherTest, NoTokensMeansOneTextSegment) {
  const AddedTokenMatcher m;
  EXPECT_EQ(Split(m, "[SEP]"), (Segments{{0, 5, kText}}));
}

// lstrip and rstrip take whitespace chars (multi-byte ones too) beside the
// match, as XLM-R's <mask> (lstrip) does; lstrip stops where an earlier
// match ended. The families' parity with HF (test/tokenizer) checks the same
// on real files.
TEST(AddedTokenMatcherTest, StripsTakeWhitespaceBesideTheMatch) {
  const AddedTokenMatcher m({{"<s>", 0, false, true}, {"<mask>", 5, true, false}});
  EXPECT_EQ(Split(m, "a  <mask> b"), (Segments{{0, 1, kText}, {1, 9, 5}, {9, 11, kText}}));
  EXPECT_EQ(Split(m, "<s>  x"), (Segments{{0, 5, 0}, {5, 6, kText}}));
  EXPECT_EQ(Split(m, "<s> <mask>"), (Segments{{0, 4, 0}, {4, 10, 5}}));
  EXPECT_EQ(Split(m, "a\u3000<mask>"), (Segments{{0, 1, kText}, {1, 10, 5}}));
  EXPECT_EQ(Split(m, "  <mask>"), (Segments{{0, 8, 5}}));
}

// An ill-formed byte beside a match stays in the text (where the tokenizer
// reports it), and the strip stops there, both ways (found by the fuzzer).
TEST(AddedTokenMatcherTest, StripsStopAtIllFormedUtf8) {
  const AddedTokenMatcher m({{"<s>", 0, false, true}, {"<mask>", 5, true, false}});
  EXPECT_EQ(Split(m, "J \n\xA4<mask>~"), (Segments{{0, 4, kText}, {4, 10, 5}, {10, 11, kText}}));
  EXPECT_EQ(Split(m, "a \xE3\x80<mask>"), (Segments{{0, 4, kText}, {4, 10, 5}}));
  EXPECT_EQ(Split(m, "<s> \xFFx"), (Segments{{0, 4, 0}, {4, 6, kText}}));
  EXPECT_EQ(Split(m, "<s>\xE3\x80"), (Segments{{0, 3, 0}, {3, 5, kText}}));
}

}  // namespace
}  // namespace fasterbert::text
