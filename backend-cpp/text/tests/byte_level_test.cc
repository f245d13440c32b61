// Expected splits are what HF tokenizers 0.23.3's
// pre_tokenizers.ByteLevel(add_prefix_space=False).pre_tokenize_str gives
// (its char offsets turned into byte offsets); test/tokenizer/bpe_parity.py
// compares many more strings against HF directly.
#include "text/byte_level.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace fasterbert::text {
namespace {

using Ranges = std::vector<std::pair<uint32_t, uint32_t>>;

Ranges Split(const std::string& text) {
  Ranges ranges;
  SplitGpt2(text, &ranges);
  return ranges;
}

TEST(ByteLevelAlphabet, MatchesGpt2) {
  // HF's ByteLevel.alphabet() and GPT-2's bytes_to_unicode: printable
  // Latin-1 stays, the rest counts up from U+0100 ('Ġ' is the space).
  EXPECT_EQ(ByteLevelChar('a'), uint32_t{'a'});
  EXPECT_EQ(ByteLevelChar(0), 0x100u);
  EXPECT_EQ(ByteLevelChar(' '), 0x120u);
  EXPECT_EQ(ByteLevelChar('\n'), 0x10Au);
  EXPECT_EQ(ByteLevelChar(0x7F), 0x121u);
  EXPECT_EQ(ByteLevelChar(0xAD), 0x143u);
  EXPECT_EQ(ByteLevelChar(0xFF), 0xFFu);
  for (int byte = 0; byte < 256; ++byte) {
    const auto back = ByteLevelByte(ByteLevelChar(static_cast<uint8_t>(byte)));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, byte);
  }
  EXPECT_FALSE(ByteLevelByte(' ').has_value());
  EXPECT_FALSE(ByteLevelByte(0x144).has_value());
}

TEST(ByteLevelSplit, MatchesHf) {
  EXPECT_EQ(Split(""), Ranges{});
  EXPECT_EQ(Split("Hello world"), (Ranges{{0, 5}, {5, 11}}));
  EXPECT_EQ(Split("I'm  here's   x\n\n"),
            (Ranges{{0, 1}, {1, 3}, {3, 4}, {4, 9}, {9, 11}, {11, 13}, {13, 15}, {15, 17}}));
  EXPECT_EQ(Split(" 'sup '' 12a"), (Ranges{{0, 2}, {2, 5}, {5, 8}, {8, 11}, {11, 12}}));
  EXPECT_EQ(Split("a\t\tb  "), (Ranges{{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 6}}));
  EXPECT_EQ(Split("日本語 テキスト123"), (Ranges{{0, 9}, {9, 22}, {22, 25}}));
  EXPECT_EQ(Split("x \u3000y"), (Ranges{{0, 1}, {1, 2}, {2, 5}, {5, 6}}));
}

}  // namespace
}  // namespace fasterbert::text
