// Expected tokens come from HF tokenizers' own BPE tests (model.rs) and
// from running tokenizers 0.23.3's models.BPE on the same vocab and merges;
// test/tokenizer/bpe_parity.py compares trained models against HF directly.
#include "text/models/bpe.h"

#include <gtest/gtest.h>

#include <ostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "text/json.h"

namespace fasterbert::text {

bool operator==(const ModelToken& a, const ModelToken& b) {
  return a.id == b.id && a.start == b.start && a.end == b.end;
}
std::ostream& operator<<(std::ostream& os, const ModelToken& t) {
  return os << "{" << t.id << ", " << t.start << ", " << t.end << "}";
}

namespace {

using Tokens = std::vector<ModelToken>;

Bpe Load(const std::string& json) { return Bpe::FromJson(ParseJson(json, "test"), "model"); }

Tokens Tokenize(const Bpe& bpe, const std::string& word) {
  Tokens tokens;
  bpe.Tokenize(word, &tokens);
  return tokens;
}

TEST(BpeTest, MergesByRank) {
  const Bpe bpe = Load(R"({"type": "BPE", "dropout": null, "unk_token": "<unk>", "fuse_unk": true,
      "vocab": {"a": 0, "b": 1, "c": 2, "ab": 3, "bc": 4, "abc": 5, "<unk>": 6},
      "merges": ["b c", "a b", "a bc"]})");
  EXPECT_EQ(bpe.vocab_size(), 7u);
  EXPECT_EQ(bpe.TokenToId("abc"), 5);
  EXPECT_EQ(bpe.TokenToId("x"), std::nullopt);
  EXPECT_EQ(Tokenize(bpe, "abcxxab"), (Tokens{{5, 0, 3}, {6, 3, 5}, {3, 5, 7}}));
  EXPECT_EQ(Tokenize(bpe, ""), Tokens{});
}

TEST(BpeTest, UnrelatedFromHfTests) {
  const Bpe bpe = Load(R"({"vocab": {"u": 0, "n": 1, "r": 2, "e": 3, "l": 4, "a": 5, "t": 6, "d": 7,
      "re": 8, "at": 9, "ed": 10, "un": 11, "ated": 12, "rel": 13, "related": 14, "unrelated": 15},
      "merges": [["r", "e"], ["a", "t"], ["e", "d"], ["u", "n"], ["at", "ed"], ["re", "l"],
                 ["rel", "ated"], ["un", "related"]]})");
  EXPECT_EQ(Tokenize(bpe, "unrelated"), (Tokens{{15, 0, 9}}));
}

TEST(BpeTest, UnknownsFusedOrNot) {
  const std::string vocab = R"("vocab": {"<unk>": 0, "a": 1, "b": 2}, "merges": [], "unk_token": "<unk>")";
  const Bpe apart = Load("{" + vocab + "}");
  EXPECT_EQ(Tokenize(apart, "accb"), (Tokens{{1, 0, 1}, {0, 1, 2}, {0, 2, 3}, {2, 3, 4}}));
  const Bpe fused = Load("{" + vocab + R"(, "fuse_unk": true})");
  EXPECT_EQ(Tokenize(fused, "accb"), (Tokens{{1, 0, 1}, {0, 1, 3}, {2, 3, 4}}));
  // Without an unk_token unknown chars are dropped, and offsets count only
  // the bytes of the pieces kept (as HF: (0, 1)).
  const Bpe dropping = Load(R"({"vocab": {"a": 0}, "merges": []})");
  EXPECT_EQ(Tokenize(dropping, "xa"), (Tokens{{0, 0, 1}}));
}

TEST(BpeTest, ByteFallback) {
  const Bpe bpe = Load(R"({"vocab": {"<unk>": 0, "<0x61>": 1}, "merges": [], "unk_token": "<unk>",
      "byte_fallback": true})");
  EXPECT_EQ(Tokenize(bpe, "c"), (Tokens{{0, 0, 1}}));
  EXPECT_EQ(Tokenize(bpe, "a"), (Tokens{{1, 0, 1}}));
}

// HF quirks kept: a pending unknown is added after the byte tokens of the
// next char, and byte fallback covers the prefix and suffix bytes too, each
// counted as one byte of the word (so offsets can run past its end).
TEST(BpeTest, ByteFallbackQuirksAsHf) {
  const Bpe fused = Load(R"({"vocab": {"<unk>": 0, "<0x62>": 1, "a": 2}, "merges": [],
      "unk_token": "<unk>", "byte_fallback": true, "fuse_unk": true})");
  EXPECT_EQ(Tokenize(fused, "xxba"), (Tokens{{1, 0, 1}, {0, 1, 3}, {2, 3, 4}}));
  const Bpe affixes = Load(R"({"vocab": {"<unk>": 0, "<0x62>": 1, "a": 2, "<0x23>": 3, "b</w>": 4},
      "merges": [], "unk_token": "<unk>", "byte_fallback": true,
      "continuing_subword_prefix": "#", "end_of_word_suffix": "</w>"})");
  EXPECT_EQ(Tokenize(affixes, "ab"), (Tokens{{2, 0, 1}, {0, 1, 2}}));
  EXPECT_EQ(Tokenize(affixes, "abb"), (Tokens{{2, 0, 1}, {3, 1, 2}, {1, 2, 3}, {0, 3, 4}}));
}

TEST(BpeTest, ContinuingSubwordPrefix) {
  const Bpe bpe = Load(R"({"vocab": {"a": 0, "##b": 1, "##c": 2, "ab": 3, "abc": 4},
      "merges": ["a ##b", "ab ##c"], "unk_token": "[UNK]", "continuing_subword_prefix": "##"})");
  EXPECT_EQ(Tokenize(bpe, "ab"), (Tokens{{3, 0, 2}}));
  EXPECT_EQ(Tokenize(bpe, "abc"), (Tokens{{4, 0, 3}}));
}

TEST(BpeTest, IgnoreMerges) {
  const std::string body = R"("vocab": {"a": 0, "b": 1, "c": 2, "abc": 3}, "merges": [])";
  EXPECT_EQ(Tokenize(Load("{" + body + "}"), "abc"), (Tokens{{0, 0, 1}, {1, 1, 2}, {2, 2, 3}}));
  EXPECT_EQ(Tokenize(Load("{" + body + R"(, "ignore_merges": true})"), "abc"), (Tokens{{3, 0, 3}}));
}

// Every thread has its own word cache: the same tokens from every thread,
// on first sight and from the cache.
TEST(BpeTest, ThreadsAndCacheAgree) {
  const Bpe bpe = Load(R"({"vocab": {"u": 0, "n": 1, "r": 2, "e": 3, "l": 4, "a": 5, "t": 6, "d": 7,
      "re": 8, "at": 9, "ed": 10, "un": 11, "ated": 12, "rel": 13, "related": 14, "unrelated": 15},
      "merges": [["r", "e"], ["a", "t"], ["e", "d"], ["u", "n"], ["at", "ed"], ["re", "l"],
                 ["rel", "ated"], ["un", "related"]]})");
  std::vector<std::string> words;
  for (int i = 0; i < 2000; ++i) words.push_back(std::string("unrelated").substr(i % 9) + std::to_string(i % 300));
  std::vector<Tokens> expected;
  {
    const Bpe fresh = Load(R"({"vocab": {"u": 0, "n": 1, "r": 2, "e": 3, "l": 4, "a": 5, "t": 6, "d": 7,
        "re": 8, "at": 9, "ed": 10, "un": 11, "ated": 12, "rel": 13, "related": 14, "unrelated": 15},
        "merges": [["r", "e"], ["a", "t"], ["e", "d"], ["u", "n"], ["at", "ed"], ["re", "l"],
                   ["rel", "ated"], ["un", "related"]]})");
    for (const auto& word : words) expected.push_back(Tokenize(fresh, word));
  }
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 3; ++round) {
        for (size_t i = 0; i < words.size(); ++i) {
          Tokens tokens = {{99, 9, 9}};  // appends after what is there
          bpe.Tokenize(words[i], &tokens);
          tokens.erase(tokens.begin());
          if (!(tokens == expected[i])) ++mismatches[t];
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(mismatches, (std::vector<int>{0, 0, 0, 0}));
}

// The per-thread word cache serves several models on one thread: a word
// cached by one model is never the answer of another (here one merges
// "a b" and the other has no merges), however often they alternate.
TEST(BpeTest, ModelsOnOneThreadKeepTheirOwnWords) {
  const std::string vocab = R"("vocab": {"a": 0, "b": 1, "ab": 2})";
  const Bpe merging = Load("{" + vocab + R"(, "merges": ["a b"]})");
  const Bpe plain = Load("{" + vocab + R"(, "merges": []})");
  for (int round = 0; round < 3; ++round) {
    EXPECT_EQ(Tokenize(merging, "ab"), (Tokens{{2, 0, 2}})) << "round " << round;
    EXPECT_EQ(Tokenize(plain, "ab"), (Tokens{{0, 0, 1}, {1, 1, 2}})) << "round " << round;
  }
}

TEST(BpeTest, Errors) {
  auto message = [](const std::string& json) {
    try {
      Load(json);
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message(R"({"vocab": {"a": 0, "b": 1}, "merges": ["a b"]})"),
            "model.merges[0]: 'ab' is not in the vocab");
  EXPECT_EQ(message(R"({"vocab": {"a": 0}, "merges": ["a x"]})"),
            "model.merges[0]: 'x' is not in the vocab");
  EXPECT_EQ(message(R"({"vocab": {"a": 0}, "merges": ["ab"]})"),
            "model.merges[0]: 'ab' is not two tokens separated by a space");
  EXPECT_NE(message(R"({"vocab": {"a": 0}, "dropout": 0.1})").find("model.dropout: "), std::string::npos);
  EXPECT_NE(message(R"({"merges": []})").find("model.vocab: "), std::string::npos);
  const Bpe bpe = Load(R"({"vocab": {"a": 0}, "unk_token": "<unk>"})");
  EXPECT_THROW(Tokenize(bpe, "x"), std::runtime_error);
}

}  // namespace
}  // namespace fasterbert::text
