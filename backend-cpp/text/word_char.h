// Unicode \w as Rust's regex crate defines it (for HF's Whitespace
// pre-tokenizer); table in word_char_data.cc (tools/gen_word_char_table.py).
#pragma once

#include <cstddef>

namespace fasterbert::text {

struct WordCharRange {
  char32_t first;
  char32_t last;
};
extern const WordCharRange kWordCharRanges[];
extern const size_t kWordCharRangeCount;

inline bool IsWordChar(char32_t cp) {
  if (cp < 0x80) {
    return (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
           cp == '_';
  }
  size_t lo = 0, hi = kWordCharRangeCount;
  while (lo < hi) {
    const size_t mid = (lo + hi) / 2;
    if (kWordCharRanges[mid].last < cp) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo < kWordCharRangeCount && kWordCharRanges[lo].first <= cp;
}

}  // namespace fasterbert::text
