// Lookups over the generated Unicode tables, with the semantics HF tokenizers
// has (see tools/gen_unicode_tables.py for which Unicode version each comes
// from). All functions take a valid scalar value (no surrogates, <= 0x10FFFF).
#pragma once

#include <cstddef>
#include <cstdint>

#include "text/unicode_data.h"

namespace fasterbert::text {

constexpr int kMaxDecompositionLength = 4;  // longest full canonical decomposition
constexpr int kMaxLowercaseLength = 3;      // Rust's char::to_lowercase yields at most 3

// Flag bits of unicode_data::Flag for a code point.
inline uint8_t UnicodeFlags(char32_t cp) {
  using namespace unicode_data;
  const uint32_t block = kFlagsStage1[cp >> kBlockBits];
  return kFlagsStage2[(block << kBlockBits) | (cp & ((1u << kBlockBits) - 1))];
}

// The White_Space property: Rust's char::is_whitespace, Oniguruma's
// Unicode \s (regex.cc) and what added tokens' lstrip/rstrip take.
inline bool IsWhiteSpace(char32_t c) {
  return (c >= 0x9 && c <= 0xD) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
         c == 0x205F || c == 0x3000;
}

// Canonical combining class (0 for starters).
uint8_t CombiningClass(char32_t cp);

// Writes the full canonical decomposition of cp (itself when it has none) to
// out[0..kMaxDecompositionLength) and returns its length.
int Decompose(char32_t cp, char32_t* out);

// Writes the lowercase mapping of cp (itself when it has none) to
// out[0..kMaxLowercaseLength) and returns its length.
int Lowercase(char32_t cp, char32_t* out);

}  // namespace fasterbert::text
