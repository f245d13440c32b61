// HF tokenizers' BPE model, read from the "model" object of a tokenizer.json.
// A word starts as one symbol per char (with continuing_subword_prefix on
// every char but the first and end_of_word_suffix on the last); chars not
// in the vocab become byte-fallback tokens <0xAB> or the unknown token.
// Then the pair merges apply by rank, lowest first and left-most first on
// ties, as HF's Word::merge_all does.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "text/json.h"
#include "text/models/model_token.h"
#include "text/vocab.h"

namespace fasterbert::text {

class Bpe {
 public:
  // `model` is the object with "type": "BPE"; `where` (e.g.
  // "tokenizer.json: model") starts every error message. Throws
  // std::runtime_error naming the field at fault.
  static Bpe FromJson(const JsonValue& model, const std::string& where);

  // Appends the tokens of `word` (valid UTF-8) to *out. Thread-safe.
  // Throws std::runtime_error when a char needs the unknown token and
  // unk_token is not in the vocab (HF fails the same way).
  void Tokenize(std::string_view word, std::vector<ModelToken>* out) const;

  std::optional<int32_t> TokenToId(std::string_view token) const { return vocab_.Find(token); }
  size_t vocab_size() const { return vocab_.ids().size(); }

 private:
  struct MergeResult {
    uint32_t rank;
    int32_t new_id;
  };
  static uint64_t PairKey(int32_t left, int32_t right) {
    return (static_cast<uint64_t>(static_cast<uint32_t>(left)) << 32) | static_cast<uint32_t>(right);
  }
  const MergeResult* FindMerge(int32_t left, int32_t right) const {
    const auto it = merges_.find(PairKey(left, right));
    return it == merges_.end() ? nullptr : &it->second;
  }

  // The tokens of words seen before, as HF's BPE keeps them: a word costs a
  // hash lookup instead of its merges. Sharded, and a shard that is busy is
  // skipped rather than waited for. On the heap, so that Bpe stays movable.
  struct WordCache {
    static constexpr size_t kShards = 16;
    static constexpr size_t kWordsPerShard = 4096;
    static constexpr size_t kMaxWordBytes = 256;  // longer words are not kept
    struct Entry {
      std::unique_ptr<const std::string> word;  // the key's storage
      std::vector<ModelToken> tokens;
    };
    struct Shard {
      std::mutex mutex;
      std::unordered_map<std::string_view, Entry> words;
    };
    std::array<Shard, kShards> shards;
  };
  void Merge(std::string_view word, std::vector<ModelToken>* out) const;

  std::unique_ptr<WordCache> cache_ = std::make_unique<WordCache>();
  std::string where_;
  Vocab vocab_;
  std::unordered_map<uint64_t, MergeResult> merges_;
  std::optional<std::string> unk_token_;
  std::string continuing_subword_prefix_;
  std::string end_of_word_suffix_;
  bool fuse_unk_ = false;
  bool byte_fallback_ = false;
  bool ignore_merges_ = false;
  int32_t byte_ids_[256];  // id of "<0xAB>" for each byte, -1 when absent
};

}  // namespace fasterbert::text
