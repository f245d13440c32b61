#include "text/special_token_matcher.h"

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

namespace fasterbert::text {
namespace {

using Segments = std::vector<std::tuple<uint32_t, uint32_t, int32_t>>;
constexpr int32_t kText = SpecialTokenMatcher::kText;

Segments Split(const SpecialTokenMatcher& m, const std::string& text) {
  std::vector<SpecialTokenMatcher::Segment> segments;
  m.Split(text, &segments);
  Segments out;
  for (const auto& s : segments) out.emplace_back(s.begin, s.end, s.id);
  return out;
}

TEST(SpecialTokenMatcherTest, SplitsAroundExactMatches) {
  const SpecialTokenMatcher m({{"[SEP]", 102}, {"[CLS]", 101}});
  EXPECT_EQ(Split(m, "a [SEP]b[CLS]"),
            (Segments{{0, 2, kText}, {2, 7, 102}, {7, 8, kText}, {8, 13, 101}}));
  EXPECT_EQ(Split(m, "[SEP][SEP]"), (Segments{{0, 5, 102}, {5, 10, 102}}));
  EXPECT_EQ(Split(m, "[sep] [SEP"), (Segments{{0, 10, kText}}));  // case-sensitive, whole token
  EXPECT_EQ(Split(m, ""), Segments{});
}

TEST(SpecialTokenMatcherTest, LeftmostThenLongest) {
  const SpecialTokenMatcher m({{"ab", 1}, {"abc", 2}, {"bcd", 3}});
  EXPECT_EQ(Split(m, "abcd"), (Segments{{0, 3, 2}, {3, 4, kText}}));
  EXPECT_EQ(Split(m, "xbcd"), (Segments{{0, 1, kText}, {1, 4, 3}}));
}

TEST(SpecialTokenMatcherTest, NoTokensMeansOneTextSegment) {
  const SpecialTokenMatcher m({});
  EXPECT_EQ(Split(m, "[SEP]"), (Segments{{0, 5, kText}}));
}

}  // namespace
}  // namespace fasterbert::text
