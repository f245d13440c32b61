// The tokens of words a model has seen before, as HF's BPE and Unigram keep
// them: a word costs a hash and a compare instead of its merges or its
// Viterbi. Per thread (no lock, nothing shared between threads) and
// bounded. Entries carry the id of the WordCache that wrote them (ids are
// never reused), so several models on one thread never read each other's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "text/models/model_token.h"

namespace fasterbert::text {

class WordCache {
 public:
  // A word and its hash, computed once for Find and Store.
  struct Key {
    std::string_view word;
    uint32_t hash;
  };
  static Key MakeKey(std::string_view word);

  // Takes a fresh id; a copy shares it (same model, same tokens).
  WordCache();

  // Appends the tokens stored for key.word to *out and returns true, or
  // returns false.
  bool Find(const Key& key, std::vector<ModelToken>* out) const;
  // Starts loading the slot key.word would be found in, so that a Find a
  // word later does not wait for memory (the table is larger than L2).
  void Prefetch(const Key& key) const;
  // Stores tokens[first..] as key.word's (offsets inside the word).
  void Store(const Key& key, const std::vector<ModelToken>& tokens, size_t first) const;

 private:
  uint32_t owner_;
};

}  // namespace fasterbert::text
