#include "text/bert_tokenizer.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "test_util.h"

namespace fasterbert::text {
namespace {

using Ids = std::vector<int32_t>;
using Offsets = std::vector<std::pair<uint32_t, uint32_t>>;

// Ids are line numbers.
const std::vector<std::string> kTokens = {
    "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "hello", "world", ",", "!", "un",     // 0-9
    "##aff", "##able", "cafe", "caf\xC3\xA9", "the", "a", "b", "[", "]", "sep",        // 10-19
    "\xE4\xB8\xAD", "\xE6\x96\x87", "Hello", "##s"};                                    // 20-23

class BertTokenizerTest : public ::testing::Test {
 protected:
  BertTokenizer Make(const BertTokenizerOptions& options = {}) const {
    return BertTokenizer::FromVocabFile(vocab_.path(), options);
  }
  Encoding Encode(const std::string& text, const BertTokenizerOptions& options = {},
                  size_t max_length = BertTokenizer::kNoMaxLength,
                  Truncation truncation = Truncation::kLongestFirst) const {
    Encoding e;
    Make(options).Encode(text, max_length, truncation, &e);
    return e;
  }

  testing::TempVocab vocab_{kTokens};
};

TEST_F(BertTokenizerTest, SingleSequence) {
  const Encoding e = Encode("Hello, world!");
  EXPECT_EQ(e.ids, (Ids{2, 5, 7, 6, 8, 3}));
  EXPECT_EQ(e.type_ids, (Ids{0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(e.attention_mask, (Ids{1, 1, 1, 1, 1, 1}));
  EXPECT_EQ(e.offsets, (Offsets{{0, 0}, {0, 5}, {5, 6}, {7, 12}, {12, 13}, {0, 0}}));
}

TEST_F(BertTokenizerTest, EmptyTextIsJustTheSpecialTokens) {
  EXPECT_EQ(Encode("").ids, (Ids{2, 3}));
  EXPECT_EQ(Encode(" \t\x01 ").ids, (Ids{2, 3}));
}

TEST_F(BertTokenizerTest, PairHasTypeIdsAndOffsetsIntoEachText) {
  Encoding e;
  Make().EncodePair("hello", "world!", BertTokenizer::kNoMaxLength, Truncation::kLongestFirst, &e);
  EXPECT_EQ(e.ids, (Ids{2, 5, 3, 6, 8, 3}));
  EXPECT_EQ(e.type_ids, (Ids{0, 0, 0, 1, 1, 1}));
  EXPECT_EQ(e.attention_mask, (Ids{1, 1, 1, 1, 1, 1}));
  EXPECT_EQ(e.offsets, (Offsets{{0, 0}, {0, 5}, {0, 0}, {0, 5}, {5, 6}, {0, 0}}));
}

TEST_F(BertTokenizerTest, WordPieceAndUnknownWords) {
  EXPECT_EQ(Encode("unaffable").ids, (Ids{2, 9, 10, 11, 3}));
  EXPECT_EQ(Encode("unaffable").offsets, (Offsets{{0, 0}, {0, 2}, {2, 5}, {5, 9}, {0, 0}}));
  EXPECT_EQ(Encode("hello zebra").ids, (Ids{2, 5, 1, 3}));
  EXPECT_EQ(Encode("hello zebra").offsets, (Offsets{{0, 0}, {0, 5}, {6, 11}, {0, 0}}));
  const std::string long_word(101, 'a');
  EXPECT_EQ(Encode(long_word).ids, (Ids{2, 1, 3}));
}

// BertWordPieceTokenizer adds unk/sep/cls/pad/mask as special tokens, which
// HF matches in the raw text before normalizing it.
TEST_F(BertTokenizerTest, SpecialTokensWrittenInTextAreMatched) {
  Encoding e = Encode("a [SEP] b[MASK]");
  EXPECT_EQ(e.ids, (Ids{2, 15, 3, 16, 4, 3}));
  EXPECT_EQ(e.offsets, (Offsets{{0, 0}, {0, 1}, {2, 7}, {8, 9}, {9, 15}, {0, 0}}));
  // Only the exact spelling: lowercase [sep] is ordinary text.
  EXPECT_EQ(Encode("a[sep]b").ids, (Ids{2, 15, 17, 19, 18, 16, 3}));
  BertTokenizerOptions literal;
  literal.match_special_tokens_in_text = false;
  EXPECT_EQ(Encode("[SEP]", literal).ids, (Ids{2, 17, 19, 18, 3}));
}

TEST_F(BertTokenizerTest, StripAccentsFollowsLowercaseUnlessSet) {
  EXPECT_EQ(Encode("Caf\xC3\xA9").ids, (Ids{2, 12, 3}));
  EXPECT_EQ(Encode("Caf\xC3\xA9").offsets, (Offsets{{0, 0}, {0, 5}, {0, 0}}));
  BertTokenizerOptions keep_accents;
  keep_accents.strip_accents = false;
  EXPECT_EQ(Encode("Caf\xC3\xA9", keep_accents).ids, (Ids{2, 13, 3}));
  BertTokenizerOptions cased;
  cased.lowercase = false;
  EXPECT_EQ(Encode("Hello Caf\xC3\xA9 hello", cased).ids, (Ids{2, 22, 1, 5, 3}));
  cased.strip_accents = true;
  EXPECT_EQ(Encode("Cafe", cased).ids, (Ids{2, 1, 3}));  // still cased
}

TEST_F(BertTokenizerTest, ChineseCharactersAreSeparateWords) {
  const Encoding e = Encode("\xE4\xB8\xAD\xE6\x96\x87");  // 中文
  EXPECT_EQ(e.ids, (Ids{2, 20, 21, 3}));
  EXPECT_EQ(e.offsets, (Offsets{{0, 0}, {0, 3}, {3, 6}, {0, 0}}));
}

TEST_F(BertTokenizerTest, OffsetsSkipRemovedControlChars) {
  EXPECT_EQ(Encode("\x01hello\x7F!").offsets, (Offsets{{0, 0}, {1, 6}, {7, 8}, {0, 0}}));
}

TEST_F(BertTokenizerTest, TruncatesSingleText) {
  EXPECT_EQ(Encode("hello world hello world", {}, 4).ids, (Ids{2, 5, 6, 3}));
  EXPECT_EQ(Encode("hello world", {}, 2).ids, (Ids{2, 3}));
  EXPECT_THROW(Encode("hello world hello", {}, 4, Truncation::kDoNotTruncate), TextTooLongError);
  EXPECT_EQ(Encode("hello world", {}, 4, Truncation::kDoNotTruncate).ids, (Ids{2, 5, 6, 3}));
  EXPECT_THROW(Encode("hello world hello", {}, 4, Truncation::kOnlySecond), TextTooLongError);
  EXPECT_THROW(Encode("hello", {}, 1), std::invalid_argument);
}

TEST_F(BertTokenizerTest, TruncatesPairs) {
  const BertTokenizer tokenizer = Make();
  Encoding e;
  tokenizer.EncodePair("hello world hello", "world", 5, Truncation::kLongestFirst, &e);
  EXPECT_EQ(e.ids, (Ids{2, 5, 3, 6, 3}));
  EXPECT_EQ(e.type_ids, (Ids{0, 0, 0, 1, 1}));
  tokenizer.EncodePair("hello", "world hello world", 5, Truncation::kOnlySecond, &e);
  EXPECT_EQ(e.ids, (Ids{2, 5, 3, 6, 3}));
  tokenizer.EncodePair("hello world hello", "world", 6, Truncation::kOnlyFirst, &e);
  EXPECT_EQ(e.ids, (Ids{2, 5, 6, 3, 6, 3}));
  EXPECT_THROW(tokenizer.EncodePair("hello", "world hello", 5, Truncation::kOnlyFirst, &e),
               TextTooLongError);
  EXPECT_THROW(tokenizer.EncodePair("a", "b", 2, Truncation::kLongestFirst, &e),
               std::invalid_argument);
  EXPECT_THROW(tokenizer.EncodePair("a", "b", 4, Truncation::kDoNotTruncate, &e), TextTooLongError);
}

TEST_F(BertTokenizerTest, InvalidUtf8IsReportedWithItsOffset) {
  const BertTokenizer tokenizer = Make();
  Encoding e;
  try {
    tokenizer.Encode(std::string(17, 'a') + "\xFF", 512, Truncation::kLongestFirst, &e);
    FAIL() << "no exception";
  } catch (const InvalidTextError& error) {
    EXPECT_STREQ(error.what(), "text is not valid UTF-8 at byte 17");
  }
  try {
    tokenizer.EncodePair("ok", "\xC3", 512, Truncation::kLongestFirst, &e);
    FAIL() << "no exception";
  } catch (const InvalidTextError& error) {
    EXPECT_STREQ(error.what(), "second text is not valid UTF-8 at byte 0");
  }
  // Checked even beyond what truncation keeps.
  EXPECT_THROW(tokenizer.Encode("hello world \xED\xA0\x80", 3, Truncation::kLongestFirst, &e),
               InvalidTextError);
}

TEST_F(BertTokenizerTest, VocabWithoutARequiredTokenIsRejected) {
  const testing::TempVocab no_pad({"[UNK]", "[CLS]", "[SEP]", "hello"});
  try {
    BertTokenizer::FromVocabFile(no_pad.path());
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("[PAD]"), std::string::npos) << message;
    EXPECT_NE(message.find(no_pad.path()), std::string::npos) << message;
  }
  EXPECT_THROW(BertTokenizer::FromVocabFile("/nonexistent/vocab.txt"), std::runtime_error);
}

TEST_F(BertTokenizerTest, ReusesTheOutputEncoding) {
  const BertTokenizer tokenizer = Make();
  Encoding e;
  tokenizer.Encode("hello world hello world", 512, Truncation::kLongestFirst, &e);
  tokenizer.Encode("hello", 512, Truncation::kLongestFirst, &e);
  EXPECT_EQ(e.ids, (Ids{2, 5, 3}));
  EXPECT_EQ(e.type_ids.size(), 3u);
  EXPECT_EQ(e.attention_mask.size(), 3u);
  EXPECT_EQ(e.offsets.size(), 3u);
}

TEST_F(BertTokenizerTest, LongTextsAcrossChunks) {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "hello ";
  const Encoding all = Encode(text);
  ASSERT_EQ(all.size(), 5002u);
  for (uint32_t i = 0; i < 5000; ++i) {
    ASSERT_EQ(all.ids[i + 1], 5);
    ASSERT_EQ(all.offsets[i + 1], std::make_pair(6 * i, 6 * i + 5));
  }
  EXPECT_EQ(Encode(text, {}, 10).ids, (Ids{2, 5, 5, 5, 5, 5, 5, 5, 5, 3}));
  const std::string one_word(40000, 'a');
  EXPECT_EQ(Encode(one_word).offsets, (Offsets{{0, 0}, {0, 40000}, {0, 0}}));
}

TEST_F(BertTokenizerTest, ConcurrentEncodesAgree) {
  const BertTokenizer tokenizer = Make();
  const std::vector<std::string> texts = {"Hello, world!", "Caf\xC3\xA9 unaffable",
                                          "\xE4\xB8\xAD\xE6\x96\x87 [SEP] the", "a b a b a b"};
  std::vector<Encoding> expected(texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    tokenizer.Encode(texts[i], 512, Truncation::kLongestFirst, &expected[i]);
  }
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      Encoding e;
      for (int round = 0; round < 200; ++round) {
        const size_t i = static_cast<size_t>(round + t) % texts.size();
        tokenizer.Encode(texts[i], 512, Truncation::kLongestFirst, &e);
        if (e.ids != expected[i].ids || e.offsets != expected[i].offsets) ++mismatches[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(mismatches, (std::vector<int>{0, 0, 0, 0}));
}

}  // namespace
}  // namespace fasterbert::text
