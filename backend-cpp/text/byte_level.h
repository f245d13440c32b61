// The byte-level helpers of GPT-2 style BPE (HF's ByteLevel pre-tokenizer):
// the byte <-> Unicode alphabet that lets every byte be a printable char,
// and the GPT-2 split regex
//   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
// with oniguruma's semantics (full Unicode classes, \s = White_Space).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "text/token.h"

namespace fasterbert::text {

// The char GPT-2 writes for a byte: printable Latin-1 bytes stand for
// themselves, the others (0-32, 127-160, 173) become U+0100 onwards in
// byte order.
uint32_t ByteLevelChar(uint8_t byte);

// The byte a char of that alphabet stands for, or nullopt for another char.
std::optional<uint8_t> ByteLevelByte(uint32_t cp);

// Appends to *ranges the byte ranges [start, end) that the GPT-2 regex
// splits `text` (valid UTF-8) into; they cover the text, in order.
void SplitGpt2(std::string_view text, std::vector<std::pair<uint32_t, uint32_t>>* ranges);

// HF's ByteLevel offset trimming (process_offsets, asked for by the
// ByteLevel and RobertaProcessing post-processors' trim_offsets): a token's
// offsets leave out the space-like chars (the byte-level space U+0120,
// whitespace) its text starts or ends with.
class ByteLevelOffsetTrim {
 public:
  // token_strings[id]: each token's text. add_prefix_space: a text's first
  // token keeps its one leading space (the one the pre-tokenizer added).
  ByteLevelOffsetTrim(const std::vector<std::string>& token_strings, bool add_prefix_space);

  // Trims the offsets of `tokens`, byte ranges of `text` (valid UTF-8).
  void Apply(std::string_view text, std::vector<Token>* tokens) const;

 private:
  // Per token id: the space-like chars its text starts and ends with,
  // counted once here rather than per token of every text.
  std::vector<std::pair<uint32_t, uint32_t>> space_runs_;
  bool add_prefix_space_;
};

}  // namespace fasterbert::text
