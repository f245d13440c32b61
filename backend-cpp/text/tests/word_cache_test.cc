// WordCache: what Find gives back is exactly what Store was given, for the
// word it was stored under and that model only; every size class (a short
// slot of 22 bytes and 6 tokens, the long table up to 256 bytes) and the
// clear at capacity. The models' outputs are checked against HF in
// family_parity.py and bpe_parity.py, cache on.
#include "text/models/word_cache.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fasterbert::text {
namespace {

using Tokens = std::vector<ModelToken>;

// Tokens that differ per word and per count: a wrong slot shows.
Tokens MakeTokens(const std::string& word, size_t count) {
  Tokens tokens;
  for (size_t k = 0; k < count; ++k) {
    const auto start = static_cast<uint32_t>(k * word.size() / count);
    const auto end = static_cast<uint32_t>((k + 1) * word.size() / count);
    tokens.push_back({static_cast<int32_t>(word.size() * 31 + k * 7 + word[0]), start, end});
  }
  return tokens;
}

void ExpectSame(const Tokens& got, const Tokens& want, const std::string& word) {
  ASSERT_EQ(got.size(), want.size()) << word;
  for (size_t k = 0; k < got.size(); ++k) {
    EXPECT_EQ(got[k].id, want[k].id) << word << " token " << k;
    EXPECT_EQ(got[k].start, want[k].start) << word << " token " << k;
    EXPECT_EQ(got[k].end, want[k].end) << word << " token " << k;
  }
}

// Stores `tokens` after a prefix (Store takes tokens[first..]), then finds
// them appended after other tokens.
void StoreThenFind(const WordCache& cache, const std::string& word, const Tokens& tokens) {
  Tokens stored{{-5, 0, 0}};
  stored.insert(stored.end(), tokens.begin(), tokens.end());
  const WordCache::Key key = WordCache::MakeKey(word);
  cache.Store(key, stored, 1);
  Tokens out{{-7, 0, 0}};
  ASSERT_TRUE(cache.Find(key, &out)) << word;
  ExpectSame(Tokens(out.begin() + 1, out.end()), tokens, word);
  EXPECT_EQ(out[0].id, -7);
}

TEST(WordCacheTest, EverySizeClassGivesBackWhatWasStored) {
  const WordCache cache;
  for (const size_t bytes : {1, 2, 7, 8, 9, 16, 21, 22, 23, 30, 31, 100, 256}) {
    for (const size_t count : {1, 2, 5, 6, 7, 8, 9, 20}) {
      if (count > bytes) continue;
      std::string word(bytes, static_cast<char>('a' + count));
      word[0] = static_cast<char>('A' + bytes % 26);
      StoreThenFind(cache, word, MakeTokens(word, count));
    }
  }
}

TEST(WordCacheTest, TooLongAndEmptyWordsAreNotKept) {
  const WordCache cache;
  const std::string long_word(257, 'x');
  const Tokens tokens = MakeTokens(long_word, 3);
  cache.Store(WordCache::MakeKey(long_word), tokens, 0);
  Tokens out;
  EXPECT_FALSE(cache.Find(WordCache::MakeKey(long_word), &out));
  cache.Store(WordCache::MakeKey(""), tokens, 0);
  EXPECT_FALSE(cache.Find(WordCache::MakeKey(""), &out));
  EXPECT_TRUE(out.empty());
}

TEST(WordCacheTest, WordsThatDifferOnlyInLengthOrOneByteAreApart) {
  // A short slot compares its zero-padded word whole: "ab" and "ab\0" pad alike.
  const WordCache cache;
  const std::vector<std::string> words = {"ab", std::string("ab\0", 3), "abc", "abd",
                                          std::string(22, 'q'), std::string(21, 'q')};
  for (size_t i = 0; i < words.size(); ++i) {
    cache.Store(WordCache::MakeKey(words[i]), MakeTokens(words[i] + char('0' + i), 1), 0);
  }
  for (size_t i = 0; i < words.size(); ++i) {
    Tokens out;
    ASSERT_TRUE(cache.Find(WordCache::MakeKey(words[i]), &out)) << i;
    ExpectSame(out, MakeTokens(words[i] + char('0' + i), 1), words[i]);
  }
  Tokens out;
  EXPECT_FALSE(cache.Find(WordCache::MakeKey("abe"), &out));
  EXPECT_FALSE(cache.Find(WordCache::MakeKey(std::string("ab\0\0", 4)), &out));
}

TEST(WordCacheTest, ModelsOnOneThreadDoNotReadEachOthersWords) {
  const WordCache first, second;
  first.Store(WordCache::MakeKey("word"), MakeTokens("word", 2), 0);
  Tokens out;
  EXPECT_FALSE(second.Find(WordCache::MakeKey("word"), &out));
  second.Store(WordCache::MakeKey("word"), MakeTokens("wxyz", 3), 0);
  ASSERT_TRUE(first.Find(WordCache::MakeKey("word"), &out));
  ExpectSame(out, MakeTokens("word", 2), "word");
  out.clear();
  ASSERT_TRUE(second.Find(WordCache::MakeKey("word"), &out));
  ExpectSame(out, MakeTokens("wxyz", 3), "word");
}

TEST(WordCacheTest, PastCapacityFindGivesTheStoredTokensOrNothing) {
  // 30,000 words: the short table (10,000 words) empties itself twice and
  // the long table's sets evict; whatever is still found must be right.
  const WordCache cache;
  auto word_of = [](size_t i) {
    return "w" + std::to_string(i * 7919) + (i % 3 ? "" : "-long-enough-for-the-long-table");
  };
  size_t found = 0;
  for (size_t i = 0; i < 30000; ++i) {
    const std::string word = word_of(i);
    cache.Prefetch(WordCache::MakeKey(word));
    cache.Store(WordCache::MakeKey(word), MakeTokens(word, 1 + i % 4), 0);
  }
  for (size_t i = 0; i < 30000; ++i) {
    const std::string word = word_of(i);
    Tokens out;
    if (!cache.Find(WordCache::MakeKey(word), &out)) continue;
    ++found;
    ExpectSame(out, MakeTokens(word, 1 + i % 4), word);
  }
  EXPECT_GT(found, 5000u);
  Tokens out;
  EXPECT_TRUE(cache.Find(WordCache::MakeKey(word_of(29999)), &out));
}

}  // namespace
}  // namespace fasterbert::text
