// A token as a model (WordPiece, BPE, Unigram) produces it: its vocab id and
// the byte range [start, end) it covers inside the word given to the model.
#pragma once

#include <cstdint>

namespace fasterbert::text {

struct ModelToken {
  int32_t id;
  uint32_t start;
  uint32_t end;
};

}  // namespace fasterbert::text
