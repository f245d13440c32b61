// What HF's StripAccents normalizer removes (its crate's category M).
// Table in combining_mark_data.cc (tools/gen_mark_table.py).
#pragma once

#include <cstddef>

namespace fasterbert::text {

struct CodePointRange {
  char32_t first;
  char32_t last;
};
extern const CodePointRange kCombiningMarkRanges[];
extern const size_t kCombiningMarkRangeCount;

inline bool IsCombiningMark(char32_t cp) {
  if (cp < 0x300) return false;
  size_t lo = 0, hi = kCombiningMarkRangeCount;
  while (lo < hi) {
    const size_t mid = (lo + hi) / 2;
    if (kCombiningMarkRanges[mid].last < cp) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo < kCombiningMarkRangeCount && kCombiningMarkRanges[lo].first <= cp;
}

}  // namespace fasterbert::text
