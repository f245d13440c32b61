// A token produced from one input text: its vocab id and the byte range
// [start, end) of the original text it covers.
#pragma once

#include <cstdint>

namespace fasterbert::text {

struct Token {
  int32_t id;
  uint32_t start;
  uint32_t end;
};

}  // namespace fasterbert::text
