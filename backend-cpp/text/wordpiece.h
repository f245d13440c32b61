// HF's WordPiece model: greedy longest-match-first over one word, with a
// continuation prefix ("##") for pieces after the first. A word longer than
// max_input_chars_per_word chars, or one with any piece not in the vocab,
// becomes a single unknown token.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "text/bert_normalizer.h"
#include "text/token.h"
#include "text/vocab.h"

namespace fasterbert::text {

struct WordPieceScratch {
  std::string bytes;                 // the word as UTF-8
  std::vector<uint32_t> char_start;  // byte offset of each char, plus the end
};

class WordPiece {
 public:
  WordPiece(std::shared_ptr<const Vocab> vocab, int32_t unk_id,
            const std::string& continuing_subword_prefix, size_t max_input_chars_per_word);

  // Appends the tokens of the word chars[0, count) to *out.
  void Tokenize(const NormalizedChar* chars, size_t count, WordPieceScratch* scratch,
                std::vector<Token>* out) const;

 private:
  using Map = std::unordered_map<std::string_view, int32_t>;
  // Longest match of bytes[char_start[first]..] in `map`, as a char index
  // past the match; 0 when nothing matches.
  size_t LongestMatch(const Map& map, size_t longest_key, const WordPieceScratch& s, size_t first,
                      size_t count, int32_t* id) const;

  std::shared_ptr<const Vocab> vocab_;
  int32_t unk_id_;
  size_t max_input_chars_per_word_;
  // Pieces that start a word are looked up in the whole vocab; later pieces
  // in the tokens that carry the prefix, keyed without it, so that lookups
  // need no string building.
  Map continuation_;
  size_t longest_token_ = 0;
  size_t longest_continuation_ = 0;
};

}  // namespace fasterbert::text
