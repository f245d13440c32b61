// What a tokenizer model (BPE, Unigram, WordPiece) makes of one word.
#pragma once

#include <cstdint>

namespace fasterbert::text {

// A token of a word: its id and the byte range [start, end) inside the word
// string given to the model.
struct ModelToken {
  int32_t id;
  uint32_t start;
  uint32_t end;
};

}  // namespace fasterbert::text
