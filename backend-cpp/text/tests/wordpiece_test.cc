#include "text/wordpiece.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "text/utf8.h"

namespace fasterbert::text {
namespace {

struct Piece {
  int32_t id;
  uint32_t start;
  uint32_t end;
  bool operator==(const Piece& o) const { return id == o.id && start == o.start && end == o.end; }
};

std::ostream& operator<<(std::ostream& os, const Piece& p) {
  return os << "{" << p.id << ", " << p.start << ", " << p.end << "}";
}

class WordPieceTest : public ::testing::Test {
 protected:
  // Ids are line numbers: [UNK]=0, un=1, ##aff=2, ##able=3, a=4, ab=5, ##c=6,
  // ##bc=7, ##b=8, ##a=9, é=10, ##é=11, x=12
  WordPieceTest()
      : vocab_(std::make_shared<const Vocab>(Vocab::FromString(
            "[UNK]\nun\n##aff\n##able\na\nab\n##c\n##bc\n##b\n##a\n\xC3\xA9\n##\xC3\xA9\nx\n", "test"))),
        wordpiece_(vocab_, 0, "##", 100) {}

  std::vector<Piece> Tokenize(const std::string& word) const {
    std::vector<NormalizedChar> chars;
    for (size_t pos = 0; pos < word.size();) {
      char32_t cp;
      const int len = DecodeUtf8(word, pos, &cp);
      chars.push_back({cp, static_cast<uint32_t>(pos), static_cast<uint32_t>(pos + len)});
      pos += len;
    }
    WordPieceScratch scratch;
    std::vector<Token> tokens;
    wordpiece_.Tokenize(chars.data(), chars.size(), &scratch, &tokens);
    std::vector<Piece> out;
    for (const auto& t : tokens) out.push_back({t.id, t.start, t.end});
    return out;
  }

  std::shared_ptr<const Vocab> vocab_;
  WordPiece wordpiece_;
};

TEST_F(WordPieceTest, SplitsWithContinuationPrefix) {
  EXPECT_EQ(Tokenize("unaffable"), (std::vector<Piece>{{1, 0, 2}, {2, 2, 5}, {3, 5, 9}}));
  EXPECT_EQ(Tokenize("a"), (std::vector<Piece>{{4, 0, 1}}));
}

TEST_F(WordPieceTest, GreedyLongestMatchFirst) {
  // "ab" + "##c" although "a" + "##bc" would also cover the word.
  EXPECT_EQ(Tokenize("abc"), (std::vector<Piece>{{5, 0, 2}, {6, 2, 3}}));
}

TEST_F(WordPieceTest, UnmatchedPieceMakesWholeWordUnknown) {
  // "ab" matches, then nothing matches "x" as a continuation ("x" exists only word-initially).
  EXPECT_EQ(Tokenize("abx"), (std::vector<Piece>{{0, 0, 3}}));
  EXPECT_EQ(Tokenize("zzz"), (std::vector<Piece>{{0, 0, 3}}));
}

TEST_F(WordPieceTest, OffsetsAreBytesOfMultibyteChars) {
  EXPECT_EQ(Tokenize("\xC3\xA9\xC3\xA9"), (std::vector<Piece>{{10, 0, 2}, {11, 2, 4}}));
}

TEST_F(WordPieceTest, WordOfHundredCharsIsTokenizedButNotOneMore) {
  const auto hundred = Tokenize(std::string(100, 'a'));
  ASSERT_EQ(hundred.size(), 100u);
  EXPECT_EQ(hundred.front(), (Piece{4, 0, 1}));
  EXPECT_EQ(hundred.back(), (Piece{9, 99, 100}));
  EXPECT_EQ(Tokenize(std::string(101, 'a')), (std::vector<Piece>{{0, 0, 101}}));
}

TEST_F(WordPieceTest, LengthLimitCountsCharsNotBytes) {
  std::string word;
  for (int i = 0; i < 100; ++i) word += "\xC3\xA9";
  EXPECT_EQ(Tokenize(word).size(), 100u);
  EXPECT_EQ(Tokenize(word + "\xC3\xA9"), (std::vector<Piece>{{0, 0, 202}}));
}

}  // namespace
}  // namespace fasterbert::text
