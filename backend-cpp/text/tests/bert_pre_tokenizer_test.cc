#include "text/bert_pre_tokenizer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_util.h"
#include "text/utf8.h"

namespace fasterbert::text {
namespace {

// Words of `text`, taken as already-normalized chars.
std::vector<std::string> Words(const std::string& text) {
  std::vector<NormalizedChar> chars;
  for (size_t pos = 0; pos < text.size();) {
    char32_t cp;
    const int len = DecodeUtf8(text, pos, &cp);
    chars.push_back({cp, static_cast<uint32_t>(pos), static_cast<uint32_t>(pos + len)});
    pos += len;
  }
  std::vector<WordSpan> spans;
  BertPreTokenize(chars, &spans);
  std::vector<std::string> words;
  for (const auto& span : spans) {
    words.push_back(testing::TextOf(std::vector<NormalizedChar>(chars.begin() + span.begin,
                                                                chars.begin() + span.end)));
  }
  return words;
}

using Strings = std::vector<std::string>;

TEST(BertPreTokenizerTest, SplitsOnWhitespaceAndIsolatesPunctuation) {
  EXPECT_EQ(Words("Hey friend!     How are you?!?"),
            (Strings{"Hey", "friend", "!", "How", "are", "you", "?", "!", "?"}));
  EXPECT_EQ(Words(""), Strings{});
  EXPECT_EQ(Words("   "), Strings{});
  EXPECT_EQ(Words("a\tb\nc\xE3\x80\x80" "d"), (Strings{"a", "b", "c", "d"}));
}

TEST(BertPreTokenizerTest, EveryAsciiPunctuationCharIsItsOwnWord) {
  const std::string punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
  ASSERT_EQ(punctuation.size(), 32u);
  Strings expected;
  for (char c : punctuation) expected.emplace_back(1, c);
  EXPECT_EQ(Words(punctuation), expected);
  EXPECT_EQ(Words("a+b=c"), (Strings{"a", "+", "b", "=", "c"}));  // ASCII symbols count too
}

TEST(BertPreTokenizerTest, UnicodePunctuationSplits) {
  EXPECT_EQ(Words("a\xC2\xAB" "b\xC2\xBB" "c"), (Strings{"a", "\xC2\xAB", "b", "\xC2\xBB", "c"}));  // « »
  EXPECT_EQ(Words("x\xE2\x80\x94y"), (Strings{"x", "\xE2\x80\x94", "y"}));  // em dash, Pd
  EXPECT_EQ(Words("\xC2\xBF" "Qu\xC3\xA9?"), (Strings{"\xC2\xBF", "Qu\xC3\xA9", "?"}));  // ¿Qué?
  EXPECT_EQ(Words("\xE3\x80\x82"), (Strings{"\xE3\x80\x82"}));  // ideographic full stop
}

TEST(BertPreTokenizerTest, UnicodeSymbolsDoNotSplit) {
  EXPECT_EQ(Words("5\xE2\x82\xAC"), (Strings{"5\xE2\x82\xAC"}));                  // 5€
  EXPECT_EQ(Words("\xC2\xA9" "2024"), (Strings{"\xC2\xA9" "2024"}));               // ©2024
  EXPECT_EQ(Words("hi\xF0\x9F\x98\x80" "there"), (Strings{"hi\xF0\x9F\x98\x80" "there"}));  // emoji
}

// Unicode 8.0 tables: U+2E43 (Po since 9.0) does not split, U+166D (Po in
// 8.0, So now) does.
TEST(BertPreTokenizerTest, HfQuirkPunctuationIsUnicode8) {
  EXPECT_EQ(Words("a\xE2\xB9\x83" "b"), (Strings{"a\xE2\xB9\x83" "b"}));
  EXPECT_EQ(Words("a\xE1\x99\xAD" "b"), (Strings{"a", "\xE1\x99\xAD", "b"}));
}

}  // namespace
}  // namespace fasterbert::text
