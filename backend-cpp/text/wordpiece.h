// HF's WordPiece model: greedy longest-match-first over one word, with a
// continuation prefix ("##") for pieces after the first. A word longer than
// max_input_chars_per_word chars, or one with any piece not in the vocab,
// becomes a single unknown token.
//
// Matching runs in one left-to-right pass over the word's bytes, as in
// LinMaxMatch (Song et al., "Fast WordPiece Tokenization", 2021): the vocab
// is a byte trie in a double array with two roots, one for word-initial
// pieces (every token) and one for continuation pieces (the tokens that
// start with the prefix, keyed without it). Every node has a failure link
// and failure pops: when the walk cannot go on from a node, the pops are the
// pieces greedy longest-match-first takes from the node's string, and the
// link is the continuation node of what remains. Each byte is read once, and
// the pieces come out exactly as HF's quadratic search finds them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "text/bert_normalizer.h"
#include "text/token.h"
#include "text/vocab.h"

namespace fasterbert::text {

struct WordPieceScratch {
  std::string bytes;                // the word as UTF-8
  std::vector<uint32_t> byte_char;  // index of the char each byte belongs to
};

class WordPiece {
 public:
  WordPiece(const Vocab& vocab, int32_t unk_id, const std::string& continuing_subword_prefix,
            size_t max_input_chars_per_word);
  WordPiece(const std::shared_ptr<const Vocab>& vocab, int32_t unk_id,
            const std::string& continuing_subword_prefix, size_t max_input_chars_per_word)
      : WordPiece(*vocab, unk_id, continuing_subword_prefix, max_input_chars_per_word) {}

  // Appends the tokens of the word chars[0, count) to *out, with the
  // alignments of its chars as offsets.
  void Tokenize(const NormalizedChar* chars, size_t count, WordPieceScratch* scratch,
                TokenBuffer* out) const;
  void Tokenize(const NormalizedChar* chars, size_t count, WordPieceScratch* scratch,
                std::vector<Token>* out) const;

  // Incremental matching, one byte at a time: Begin a word at byte offset
  // `start` of the text, Feed it the word's normalized bytes, then Finish
  // it. Pieces are appended to *out as they are found, with byte offsets
  // that count from `start` one per byte fed (so they are offsets into the
  // text when the word's bytes are the text's own). When some piece is not
  // in the vocab, Feed returns a walk that has failed() and Finish returns
  // false: the word is then unknown, and the caller removes what this word
  // appended. The walk is a small value, so that it stays in registers.
  struct Walk {
    int32_t node;
    uint32_t pos;  // where the next piece starts
    bool failed() const { return node < 0; }
  };
  Walk Begin(uint32_t start) const { return {root_initial_, start}; }
  Walk Feed(Walk walk, uint32_t byte, TokenBuffer* out) const {
    const int32_t next = units_[walk.node].base + static_cast<int32_t>(byte);
    if (units_[next].check == walk.node) return {next, walk.pos};
    return FeedStuck(walk, byte, out);
  }
  // `end` is the offset past the word (start plus the bytes fed).
  bool Finish(Walk walk, uint32_t end, TokenBuffer* out) const {
    // Usually what remains of the word is one piece: the node's own string.
    const int32_t token = token_[walk.node];
    if (token >= 0) {
      out->push_back({token, walk.pos, end});
      return true;
    }
    return FinishSlow(walk, out);
  }

  // All of the above over the word bytes[0, n). Returns false, leaving *out
  // as it was, when the word is unknown.
  bool MatchWord(const uint8_t* bytes, size_t n, uint32_t start, TokenBuffer* out) const;

  // A word that is itself a token is that one piece, whatever else the
  // vocab holds, so one hash lookup can replace the walk. IndexWholeWords
  // indexes the tokens of at most kMaxKeyBytes bytes that are made only of
  // bytes b with key_byte[b]; WholeWordId looks a word of n bytes up by its
  // key: bytes 0-7 little-endian in k0, bytes 8-11 in k1, zero-padded.
  // Returns the id, or -1 when the word is not an indexed token.
  static constexpr size_t kMaxKeyBytes = 12;
  void IndexWholeWords(const bool key_byte[256]);
  int32_t WholeWordId(uint64_t k0, uint32_t k1, size_t n) const {
    return words_.Find(k0, k1, n);
  }

  // The id of a word of one char, given as its UTF-8 bytes: the token when
  // the vocab has it, else unk.
  int32_t SingleCharId(const uint8_t* bytes, size_t n) const {
    if (max_input_chars_per_word_ < 1) return unk_id_;
    int32_t node = root_initial_;
    for (size_t i = 0; i < n; ++i) {
      const int32_t next = units_[node].base + bytes[i];
      if (units_[next].check != node) return unk_id_;
      node = next;
    }
    return token_[node] >= 0 ? token_[node] : unk_id_;
  }

  int32_t unk_id() const { return unk_id_; }
  size_t max_input_chars_per_word() const { return max_input_chars_per_word_; }
  // Double-array slots in use (for tests and memory estimates).
  size_t trie_size() const { return units_.size(); }

 private:
  struct Unit {
    int32_t base;   // children of this slot are at base + byte
    int32_t check;  // parent slot; kFree when unused
  };
  struct NodeInfo {
    int32_t fail;         // failure link (slot), kNone when the word fails here
    uint32_t pops_begin;  // failure pops: pops_[pops_begin, pops_end)
    uint32_t pops_end;
  };
  struct Pop {
    int32_t id;
    uint32_t length;  // bytes of the word the piece covers (prefix excluded)
  };
  // Whole words by key: open addressing, linear probing, at most half full
  // so that a miss (a word of several pieces) ends soon.
  class WordTable {
   public:
    void Build(const std::vector<std::pair<std::string, int32_t>>& tokens);
    int32_t Find(uint64_t k0, uint32_t k1, size_t n) const {
      const Entry* table = entries_.data();
      for (uint64_t h = Hash(k0, k1);; ++h) {
        const Entry& e = table[h & mask_];
        if (e.k0 == k0 && e.k1 == k1 && (e.length_id >> 24) == n) {
          return static_cast<int32_t>(e.length_id & 0xFFFFFF);
        }
        if (e.length_id == 0) return -1;  // empty
      }
    }

   private:
    struct Entry {
      uint64_t k0;
      uint32_t k1;
      uint32_t length_id;  // length << 24 | id; 0 when empty
    };
    static uint64_t Hash(uint64_t k0, uint32_t k1) {
      const uint64_t h = (k0 ^ (uint64_t{k1} * 0x9E3779B97F4A7C15ull)) * 0xD6E8FEB86659FD93ull;
      return h ^ (h >> 29);
    }
    std::vector<Entry> entries_ = std::vector<Entry>(1);
    uint64_t mask_ = 0;
  };
  static constexpr int32_t kNone = -1;
  static constexpr int32_t kFree = -1;

  void Build(const Vocab& vocab, const std::string& prefix);
  // Feed when the walk cannot go on from its node: pops, follows failure
  // links, and retries the byte.
  Walk FeedStuck(Walk walk, uint32_t byte, TokenBuffer* out) const;
  bool FinishSlow(Walk walk, TokenBuffer* out) const;
  // Appends the node's failure pops; false when it has no failure link.
  bool PopPieces(Walk* walk, TokenBuffer* out) const;

  int32_t unk_id_;
  size_t max_input_chars_per_word_;
  std::vector<Unit> units_;
  std::vector<int32_t> token_;  // by slot: id of the node's string as a piece, or -1
  std::vector<NodeInfo> info_;
  std::vector<Pop> pops_;
  WordTable words_;
  std::vector<std::pair<std::string, int32_t>> short_tokens_;  // for IndexWholeWords
  int32_t root_initial_ = 0;
  int32_t root_continuation_ = 1;
};

}  // namespace fasterbert::text
