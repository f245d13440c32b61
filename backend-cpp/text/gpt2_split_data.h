// Character classes of the GPT-2 split regex, generated into
// gpt2_split_data.cc by tools/gen_gpt2_split_tables.py; read them through
// byte_level.h.
#pragma once

#include <cstddef>
#include <cstdint>

namespace fasterbert::text::gpt2_split_data {

enum CharClass : uint8_t { kOther = 0, kLetter = 1, kNumber = 2, kSpace = 3 };

// Code points [first, last] of one class; sorted, not overlapping. Code
// points in no range are kOther.
struct CharRange {
  char32_t first;
  char32_t last;
  uint8_t char_class;
};

extern const size_t kRangeCount;
extern const CharRange kRanges[];

}  // namespace fasterbert::text::gpt2_split_data
