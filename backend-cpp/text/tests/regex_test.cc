#include "text/regex.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "text/errors.h"

namespace fasterbert::text {
namespace {

// The matched substrings of FindAll.
std::vector<std::string> Matches(const std::string& pattern, const std::string& text) {
  std::vector<std::pair<size_t, size_t>> found;
  Regex(pattern).FindAll(text, &found);
  std::vector<std::string> out;
  for (const auto& [begin, end] : found) out.push_back(text.substr(begin, end - begin));
  return out;
}

using Strings = std::vector<std::string>;

TEST(RegexTest, LiteralsAndEscapes) {
  EXPECT_EQ(Matches("ab", "xabyab"), (Strings{"ab", "ab"}));
  EXPECT_EQ(Matches("\\.\\'\\\\", "a.'\\b"), (Strings{".'\\"}));
  EXPECT_EQ(Matches("\\r\\n|\\t", "a\r\nb\tc"), (Strings{"\r\n", "\t"}));
  EXPECT_EQ(Matches("\\x41\\u00e9\\x{1F600}", "A\u00e9\U0001F600"), (Strings{"A\u00e9\U0001F600"}));
  EXPECT_EQ(Matches(".", "a\nb"), (Strings{"a", "b"}));  // . is not \n
}

TEST(RegexTest, AlternationIsLeftmostFirstNotLongest) {
  EXPECT_EQ(Matches("a|ab", "ab"), (Strings{"a"}));
  EXPECT_EQ(Matches("ab|a", "ab"), (Strings{"ab"}));
  // GPT-2's contractions come before letters: "'s" is one match, then "s".
  EXPECT_EQ(Matches("'s|'t| ?\\p{L}+", "it's"), (Strings{"it", "'s"}));
}

TEST(RegexTest, GreedyAndLazyQuantifiers) {
  EXPECT_EQ(Matches("a+", "aaa"), (Strings{"aaa"}));
  EXPECT_EQ(Matches("a+?", "aaa"), (Strings{"a", "a", "a"}));
  EXPECT_EQ(Matches("a{2}", "aaaaa"), (Strings{"aa", "aa"}));
  EXPECT_EQ(Matches("a{2,}", "a aa aaaa"), (Strings{"aa", "aaaa"}));
  EXPECT_EQ(Matches("\\d{1,3}", "12345"), (Strings{"123", "45"}));
  EXPECT_EQ(Matches("\\d{1,3}?", "123"), (Strings{"1", "2", "3"}));
  EXPECT_EQ(Matches("<.*>", "<a><b>"), (Strings{"<a><b>"}));
  EXPECT_EQ(Matches("<.*?>", "<a><b>"), (Strings{"<a>", "<b>"}));
  EXPECT_EQ(Matches("ab?c", "ac abc"), (Strings{"ac", "abc"}));
}

TEST(RegexTest, EmptyMatchesAsOnigurumasFindAll) {
  // An empty match right after the previous match is skipped.
  EXPECT_EQ(Matches("a*", "baa"), (Strings{"", "aa"}));
  EXPECT_EQ(Matches("x*", "ab"), (Strings{"", "", ""}));
}

TEST(RegexTest, Lookahead) {
  // GPT-2's \s+(?!\S): a space run leaves its last space to the next word.
  EXPECT_EQ(Matches("\\s+(?!\\S)|\\s+", "a   b  "), (Strings{"  ", " ", "  "}));
  EXPECT_EQ(Matches("a(?=b)", "ab ac"), (Strings{"a"}));
  EXPECT_EQ(Matches("a(?!b)", "ab ac"), (Strings{"a"}));
}

TEST(RegexTest, UnicodeClasses) {
  // é (letter), ́ (combining mark), 漢 (letter), ٣ (Arabic-Indic digit, Nd),
  // Ⅻ (Nl: a number, not \d), 、(punctuation), 😀 (symbol), U+3000 (space).
  EXPECT_EQ(Matches("\\p{L}+", "caf\u00e9 \u6f22\u5b57"), (Strings{"caf\u00e9", "\u6f22\u5b57"}));
  EXPECT_EQ(Matches("\\p{M}", "e\u0301"), (Strings{"\u0301"}));
  EXPECT_EQ(Matches("\\d+", "4\u0663\u216B"), (Strings{"4\u0663"}));
  EXPECT_EQ(Matches("\\p{N}+", "4\u0663\u216B"), (Strings{"4\u0663\u216B"}));
  EXPECT_EQ(Matches("\\p{P}", "a\u3001b"), (Strings{"\u3001"}));
  EXPECT_EQ(Matches("\\p{S}", "a\U0001F600"), (Strings{"\U0001F600"}));
  EXPECT_EQ(Matches("\\s+", "a\u3000\u00a0b"), (Strings{"\u3000\u00a0"}));
  EXPECT_EQ(Matches("\\w+", "na\u00efve e\u0301t\u00e9_1 \u0645\u0631\u062d\u0628\u0627!"),
            (Strings{"na\u00efve", "e\u0301t\u00e9_1", "\u0645\u0631\u062d\u0628\u0627"}));
  // Oniguruma's \w leaves out ZWJ (Rust's has it) and takes the Latin-1 ².
  EXPECT_EQ(Matches("\\w+", "a\u200db x\u00b2 \u2460"), (Strings{"a", "b", "x\u00b2"}));
  EXPECT_EQ(Matches("[^\\s\\p{L}\\p{N}]+", "a,\u00bb\U0001F600 b"), (Strings{",\u00bb\U0001F600"}));
  EXPECT_EQ(Matches("\\P{L}+", "ab12cd"), (Strings{"12"}));
  EXPECT_EQ(Matches("[a-c\\d]+", "abcd123"), (Strings{"abc", "123"}));
  EXPECT_EQ(Matches("[\u0400-\u04ff]+", "\u043f\u0440\u0438 vet"), (Strings{"\u043f\u0440\u0438"}));
}

TEST(RegexTest, CaseInsensitiveGroup) {
  EXPECT_EQ(Matches("(?i:'s|'ll)", "IT'S we'LL 's"), (Strings{"'S", "'LL", "'s"}));
  EXPECT_EQ(Matches("(?i:[a-c]+)", "xABcx"), (Strings{"ABc"}));
  EXPECT_EQ(Matches("(?i:a)b", "AB Ab"), (Strings{"Ab"}));  // the fold ends with the group
}

TEST(RegexTest, LineAnchors) {
  EXPECT_EQ(Matches("^a", "aa\na"), (Strings{"a", "a"}));
  EXPECT_EQ(Matches("a$", "aa\naa"), (Strings{"a", "a"}));
}

TEST(RegexTest, RealSplitPatterns) {
  const std::string gpt4 =
      "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| "
      "?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
  EXPECT_EQ(Matches(gpt4, "I'LL pay 12345 \u20ac!\r\n  ok"),
            (Strings{"I", "'LL", " pay", " ", "123", "45", " \u20ac!\r\n", " ", " ok"}));
}

TEST(RegexTest, RefusesWhatItDoesNotImplement) {
  for (const char* pattern : {"(?<=a)b", "(?<!a)b", "(?>a)", "(?<name>a)", "a++", "a{2000}", "\\1",
                              "\\b", "\\h", "\\p{Han}", "[[:alpha:]]", "[a&&b]", "[]a]", "a{", "(a",
                              "a)", "*a", "a**", "", "(?i)a", "\\xff", "[b-a]"}) {
    EXPECT_THROW(Regex{pattern}, RegexSyntaxError) << pattern;
  }
}

TEST(RegexTest, KnowsWhetherAMatchCanBeEmpty) {
  for (const char* pattern : {"\\s*", "(?=a)", "a|", "x{0,3}", "^", "(a?)+"}) {
    EXPECT_TRUE(Regex(pattern).can_match_empty()) << pattern;
  }
  for (const char* pattern : {"\\s+", "a(?=b)", "(a|b?c)+", " {2,}", "a*b"}) {
    EXPECT_FALSE(Regex(pattern).can_match_empty()) << pattern;
  }
}

TEST(RegexTest, PathologicalPatternsStayBounded) {
  // Exponential for plain backtracking; each (instruction, position) is
  // tried once here.
  const std::string as(20000, 'a');
  EXPECT_TRUE(Matches("(a|a)*b", as).empty());
  EXPECT_TRUE(Matches("(a*)*b", as).empty());
  EXPECT_EQ(Matches("(\\s+)+$", std::string(20000, ' ') + "x").size(), 0u);
  // Quadratic even with memoized states: stops at the step budget with an
  // error for this text instead of running for minutes.
  EXPECT_THROW(Matches("a*b|a", std::string(50000, 'a')), InvalidTextError);
}

}  // namespace
}  // namespace fasterbert::text
