// Rust's char::is_numeric (general category Nd, Nl or No), what HF's Digits
// pre-tokenizer splits on; table in numeric_char_data.cc
// (tools/gen_numeric_table.py).
#pragma once

#include <cstddef>

namespace fasterbert::text {

struct NumericRange {
  char32_t first;
  char32_t last;
};
extern const NumericRange kNumericRanges[];
extern const size_t kNumericRangeCount;

inline bool IsNumeric(char32_t cp) {
  if (cp < 0x80) return cp >= '0' && cp <= '9';
  size_t lo = 0, hi = kNumericRangeCount;
  while (lo < hi) {
    const size_t mid = (lo + hi) / 2;
    if (kNumericRanges[mid].last < cp) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo < kNumericRangeCount && kNumericRanges[lo].first <= cp;
}

}  // namespace fasterbert::text
