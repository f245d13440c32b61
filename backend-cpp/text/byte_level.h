// The byte-level helpers of GPT-2 style BPE (HF's ByteLevel pre-tokenizer):
// the byte <-> Unicode alphabet that lets every byte be a printable char,
// and the GPT-2 split regex
//   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
// with oniguruma's semantics (full Unicode classes, \s = White_Space).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

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

}  // namespace fasterbert::text
