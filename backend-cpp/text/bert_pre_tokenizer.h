// HF's BertPreTokenizer: splits normalized text into words on whitespace
// (dropped) and punctuation (each punctuation char is a word of its own).
#pragma once

#include <cstdint>
#include <vector>

#include "text/bert_normalizer.h"

namespace fasterbert::text {

// A word: the normalized chars [begin, end).
struct WordSpan {
  uint32_t begin;
  uint32_t end;
};

// Replaces *words with the words of `chars`.
void BertPreTokenize(const std::vector<NormalizedChar>& chars, std::vector<WordSpan>* words);

}  // namespace fasterbert::text
