// The major Unicode General_Category of a code point (Nd and Pc apart), for
// the \p{..}, \d and \w classes of text/regex.h; table in general_category_data.cc
// (tools/gen_general_category_table.py, Unicode 16.0 as HF's onig engine).
#pragma once

#include <cstddef>
#include <cstdint>

namespace fasterbert::text {

enum class GeneralCategory : uint8_t {
  kOther,  // C*: control, format, surrogate, private use, unassigned
  kLetter,
  kMark,
  kNumber,  // Nl, No
  kDecimalNumber,  // Nd
  kPunctuation,
  kConnectorPunctuation,  // Pc
  kSymbol,
  kSeparator,
};

struct CategoryRange {
  char32_t first;
  char32_t last;
  GeneralCategory category;
};
extern const CategoryRange kCategoryRanges[];
extern const size_t kCategoryRangeCount;

inline GeneralCategory CategoryOf(char32_t cp) {
  size_t lo = 0, hi = kCategoryRangeCount;
  while (lo < hi) {
    const size_t mid = (lo + hi) / 2;
    if (kCategoryRanges[mid].last < cp) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo < kCategoryRangeCount && kCategoryRanges[lo].first <= cp ? kCategoryRanges[lo].category
                                                                     : GeneralCategory::kOther;
}

}  // namespace fasterbert::text
