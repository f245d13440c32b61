#include "text/vocab.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "test_util.h"

namespace fasterbert::text {
namespace {

TEST(VocabTest, IdIsLineNumber) {
  const testing::TempVocab file({"[PAD]", "[UNK]", "hello", "##lo"});
  const Vocab vocab = Vocab::FromFile(file.path());
  EXPECT_EQ(vocab.Find("[PAD]"), 0);
  EXPECT_EQ(vocab.Find("hello"), 2);
  EXPECT_EQ(vocab.Find("##lo"), 3);
  EXPECT_EQ(vocab.Find("nope"), std::nullopt);
  EXPECT_EQ(vocab.line_count(), 4u);
}

TEST(VocabTest, TrimsTrailingWhitespaceAndCarriageReturns) {
  const Vocab vocab = Vocab::FromString("a \r\nb\t\nc\xE3\x80\x80\n d\n", "v");
  EXPECT_EQ(vocab.Find("a"), 0);
  EXPECT_EQ(vocab.Find("b"), 1);
  EXPECT_EQ(vocab.Find("c"), 2);
  EXPECT_EQ(vocab.Find(" d"), 3);  // leading whitespace stays
}

TEST(VocabTest, LastLineNeedsNoNewlineAndDuplicatesKeepLastId) {
  const Vocab vocab = Vocab::FromString("x\ny\nx", "v");
  EXPECT_EQ(vocab.Find("x"), 2);
  EXPECT_EQ(vocab.line_count(), 3u);
  EXPECT_EQ(Vocab::FromString("x\n\ny\n", "v").Find("y"), 2);  // an empty line takes an id
}

TEST(VocabTest, MissingFileNamesThePath) {
  try {
    Vocab::FromFile("/nonexistent/dir/vocab.txt");
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/dir/vocab.txt"), std::string::npos);
  }
}

TEST(VocabTest, InvalidUtf8IsAnError) {
  EXPECT_THROW(Vocab::FromString("ok\nbad\xFF\n", "v"), std::runtime_error);
}

}  // namespace
}  // namespace fasterbert::text
