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

namespace fasterbert::text {
namespace {

// HF's WordPiece search, written the slow and obvious way: at each start,
// the longest substring (with the prefix after the first piece) that is in
// the vocab; a word with any unmatched start is one unknown token.
std::vector<Piece> Reference(const std::vector<std::string>& vocab, const std::string& prefix,
                             const std::string& word, size_t max_chars) {
  auto find = [&vocab](const std::string& s) -> int32_t {
    int32_t id = -1;
    for (size_t i = 0; i < vocab.size(); ++i) {
      if (vocab[i] == s) id = static_cast<int32_t>(i);  // a later duplicate wins
    }
    return id;
  };
  const int32_t unk = 0;
  if (word.size() > max_chars) return {{unk, 0, static_cast<uint32_t>(word.size())}};
  std::vector<Piece> out;
  size_t start = 0;
  while (start < word.size()) {
    int32_t id = -1;
    size_t end = word.size();
    for (; end > start; --end) {
      std::string piece = word.substr(start, end - start);
      if (start > 0) piece = prefix + piece;
      id = find(piece);
      if (id >= 0) break;
    }
    if (id < 0) return {{unk, 0, static_cast<uint32_t>(word.size())}};
    out.push_back({id, static_cast<uint32_t>(start), static_cast<uint32_t>(end)});
    start = end;
  }
  return out;
}

std::vector<Piece> RunWordPiece(const WordPiece& wordpiece, const std::string& word) {
  std::vector<NormalizedChar> chars;
  for (size_t i = 0; i < word.size(); ++i) {
    chars.push_back({static_cast<unsigned char>(word[i]), static_cast<uint32_t>(i),
                     static_cast<uint32_t>(i + 1)});
  }
  WordPieceScratch scratch;
  std::vector<Token> tokens;
  wordpiece.Tokenize(chars.data(), chars.size(), &scratch, &tokens);
  std::vector<Piece> out;
  for (const auto& t : tokens) out.push_back({t.id, t.start, t.end});
  return out;
}

// The failure links and pops must give exactly the greedy search's pieces,
// whatever the vocab: random vocabs over a tiny alphabet make every kind of
// overlap between word-initial and continuation pieces common.
TEST(WordPieceTrieTest, MatchesBruteForceGreedySearchOnRandomVocabs) {
  uint64_t state = 12345;
  auto next = [&state](uint64_t n) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return (state >> 33) % n;
  };
  auto random_string = [&](size_t max_len) {
    std::string s;
    const size_t len = 1 + next(max_len);
    for (size_t i = 0; i < len; ++i) s.push_back("abc"[next(3)]);
    return s;
  };
  for (int round = 0; round < 300; ++round) {
    const std::string prefix = round % 5 == 0 ? "" : round % 7 == 0 ? "c" : "##";
    std::vector<std::string> vocab = {"[UNK]"};
    const size_t n = 1 + next(25);
    for (size_t i = 0; i < n; ++i) {
      std::string token = random_string(5);
      if (next(2)) token = prefix + token;
      vocab.push_back(token);
    }
    if (next(4) == 0) vocab.push_back(prefix);  // the bare prefix never matches
    if (next(4) == 0) vocab.push_back("");      // nor does an empty line
    std::string text;
    for (const auto& t : vocab) text += t + "\n";
    const Vocab v = Vocab::FromString(text, "random");
    // Vocab::FromString trims and dedups as HF does; the reference must see
    // the same token -> id map.
    std::vector<std::string> effective(vocab.size());
    for (const auto& [token, id] : v.ids()) effective[static_cast<size_t>(id)] = std::string(token);
    for (size_t i = 0; i < effective.size(); ++i) {
      if (v.Find(effective[i]) != static_cast<int32_t>(i)) effective[i] = "\x01never";
    }
    const size_t max_chars = 3 + next(8);
    const WordPiece wordpiece(v, 0, prefix, max_chars);
    for (int w = 0; w < 40; ++w) {
      const std::string word = random_string(12);
      ASSERT_EQ(RunWordPiece(wordpiece, word), Reference(effective, prefix, word, max_chars))
          << "round " << round << " word " << word << " prefix '" << prefix << "'";
    }
  }
}

TEST(WordPieceTrieTest, WholeWordLookupFindsOnlyIndexedTokens) {
  const Vocab v = Vocab::FromString("[UNK]\nhello\nhell\n##o\nhello world\nabcdefghijkl\n", "t");
  WordPiece wordpiece(v, 0, "##", 100);
  bool key_byte[256] = {};
  for (int c = 'a'; c <= 'z'; ++c) key_byte[c] = true;
  wordpiece.IndexWholeWords(key_byte);
  auto key = [](const std::string& w, uint64_t* k0, uint32_t* k1) {
    uint8_t b[16] = {};
    for (size_t i = 0; i < w.size(); ++i) b[i] = static_cast<uint8_t>(w[i]);
    *k0 = 0;
    *k1 = 0;
    for (int i = 7; i >= 0; --i) *k0 = (*k0 << 8) | b[i];
    for (int i = 11; i >= 8; --i) *k1 = (*k1 << 8) | b[i];
  };
  uint64_t k0;
  uint32_t k1;
  key("hello", &k0, &k1);
  EXPECT_EQ(wordpiece.WholeWordId(k0, k1, 5), 1);
  key("hell", &k0, &k1);
  EXPECT_EQ(wordpiece.WholeWordId(k0, k1, 4), 2);
  // Same zero-padded bytes, other length: not the same word.
  EXPECT_EQ(wordpiece.WholeWordId(k0, k1, 5), -1);
  key("abcdefghijkl", &k0, &k1);
  EXPECT_EQ(wordpiece.WholeWordId(k0, k1, 12), 5);
  key("hellx", &k0, &k1);
  EXPECT_EQ(wordpiece.WholeWordId(k0, k1, 5), -1);
}

}  // namespace
}  // namespace fasterbert::text
