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
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "text/json.h"
#include "text/models/model_token.h"
#include "text/models/word_cache.h"
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
  // Hints that `word` comes next (see WordCache::Prefetch).
  void Prefetch(std::string_view word) const { cache_.Prefetch(WordCache::MakeKey(word)); }

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
  // The merges in one open-addressing table: every pair of neighbours of
  // every word is looked up, so a lookup must be one probe, not a bucket
  // chain.
  struct MergeSlot {
    uint64_t key;  // kNoMerge: empty
    MergeResult result;
  };
  static constexpr uint64_t kNoMerge = UINT64_MAX;
  size_t MergeSlotOf(uint64_t key) const {
    return static_cast<size_t>((key * 0x9E3779B97F4A7C15ull) >> merge_shift_);
  }
  const MergeResult* FindMerge(int32_t left, int32_t right) const {
    const uint64_t key = PairKey(left, right);
    for (size_t slot = MergeSlotOf(key);; slot = (slot + 1) & merge_mask_) {
      const MergeSlot& m = merges_[slot];
      if (m.key == key) return &m.result;
      if (m.key == kNoMerge) return nullptr;
    }
  }
  void BuildMergeTable(const std::unordered_map<uint64_t, MergeResult>& merges);
  // The id of the one-char token `text` (a char of `len` bytes), as
  // vocab_.Find; chars below U+0800 from a table.
  std::optional<int32_t> CharId(std::string_view text) const {
    if (text.size() == 1) {
      const int32_t id = char_ids_[static_cast<uint8_t>(text[0])];
      if (id >= 0) return id;
      return std::nullopt;
    }
    if (text.size() == 2) {
      const uint32_t cp = (static_cast<uint32_t>(static_cast<uint8_t>(text[0]) & 0x1F) << 6) |
                          (static_cast<uint8_t>(text[1]) & 0x3F);
      const int32_t id = char_ids_[cp];
      if (id >= 0) return id;
      return std::nullopt;
    }
    return vocab_.Find(text);
  }

  void Merge(std::string_view word, std::vector<ModelToken>* out) const;

  WordCache cache_;
  std::string where_;
  Vocab vocab_;
  std::vector<MergeSlot> merges_;
  size_t merge_mask_ = 0;
  unsigned merge_shift_ = 64;
  std::vector<int32_t> char_ids_;  // id of each char below U+0800 alone, -1: none
  std::optional<std::string> unk_token_;
  std::string continuing_subword_prefix_;
  std::string end_of_word_suffix_;
  bool fuse_unk_ = false;
  bool byte_fallback_ = false;
  bool ignore_merges_ = false;
  int32_t byte_ids_[256];  // id of "<0xAB>" for each byte, -1 when absent
};

}  // namespace fasterbert::text
