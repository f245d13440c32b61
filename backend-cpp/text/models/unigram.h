// HF tokenizers' Unigram model (SentencePiece's): pieces with log-prob
// scores, the best segmentation of a word by Viterbi over its chars (a char
// no piece starts with costs min score - 10 as unk_id), consecutive unknowns
// fused into one when fuse_unk, and with byte_fallback an unknown piece
// spelled as <0xXX> byte tokens when all of them are in the vocab.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "text/json.h"
#include "text/json_reader.h"
#include "text/models/model_token.h"
#include "text/models/word_cache.h"

namespace fasterbert::text {

class Unigram {
 public:
  static Unigram FromJson(const JsonReader& reader, const JsonValue& model,
                          const std::string& path);

  // Appends the tokens of `word`. Thread-safe.
  void Tokenize(std::string_view word, std::vector<ModelToken>* out) const;
  // Hints that `word` comes next (see WordCache::Prefetch).
  void Prefetch(std::string_view word) const { cache_.Prefetch(WordCache::MakeKey(word)); }
  std::optional<int32_t> TokenToId(std::string_view token) const;

 private:
  // A double-array trie of the pieces (the Viterbi walks it once per byte
  // of every piece it tries, so one step is one array read): the child of
  // unit n by byte c is unit base(n) + c when that unit's check is n. A
  // unit also holds the piece that ends there (-1: none) and its score, in
  // the line the walk has just read.
  struct Unit {
    int32_t base = 0;
    int32_t check = -1;
    int32_t piece = -1;
    double score = 0;
  };
  // The child of `node` by `byte`, or -1. units_ has 256 spare units past
  // the last base, so base + byte needs no bounds check.
  int32_t Child(int32_t node, uint8_t byte) const {
    const int32_t next = units_[node].base + byte;
    return units_[next].check == node ? next : -1;
  }

  void Viterbi(std::string_view word, std::vector<ModelToken>* out) const;
  struct BuildNode;
  void BuildDoubleArray(const std::vector<BuildNode>& nodes, const JsonReader& r,
                        const std::string& path);

  WordCache cache_;  // HF's Unigram caches words too
  std::vector<double> scores_;
  std::vector<Unit> units_;
  std::optional<int32_t> empty_piece_id_;  // HF's map has "" too
  std::optional<int32_t> unk_id_;
  bool byte_fallback_ = false;
  bool fuse_unk_ = true;
  double min_score_ = 0;
  int32_t byte_ids_[256];  // <0xXX> ids, -1 when absent
};

}  // namespace fasterbert::text
