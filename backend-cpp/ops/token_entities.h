// Token classification (NER) post-processing: per-token softmax, word
// aggregation and B-/I- grouping with the names and rules of HF
// transformers' TokenClassificationPipeline (aggregation_strategy none,
// simple, first, average, max), offsets in UTF-8 bytes and code points.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace fasterbert::ops {

enum class TokenAggregation { kNone, kSimple, kFirst, kAverage, kMax };

// One non-special token of a row, in order. Special tokens ([CLS], [SEP],
// padding) are never passed: HF drops them before aggregating.
struct TokenPiece {
  int64_t index = 0;             // position in the engine row (HF's "index", kNone only)
  const float* logits = nullptr; // [num_labels]
  std::string token;             // vocab string, e.g. "##ing", "▁Zü", "Ġwor"
  int64_t start_byte = 0;        // span in the original UTF-8 text
  int64_t end_byte = 0;
  bool unknown = false;          // [UNK]: its word is the original text, never a sub-word
};

struct TokenEntity {
  std::string label;      // kNone: "B-PER"; grouped: "PER" (HF's entity_group)
  int64_t label_id = -1;  // id of the label (grouped: the first token's/word's label)
  float score = 0.0f;
  std::string word;       // HF's "word": the decoded tokens ([UNK]: the text)
  int64_t index = -1;     // kNone only
  int64_t start_byte = 0, end_byte = 0;
  int64_t start_char = 0, end_char = 0;  // code points, as Python's str indices
};

// HF's is_subword for a tokenizer with a continuing-subword prefix ("##"):
// the token's length differs from its text span's (both in code points).
bool IsSubword(std::string_view text, const TokenPiece& piece);

// HF's fallback for a tokenizer without one (Unigram, byte-level BPE): a
// token is a sub-word unless it starts the text or a space is the char
// before it or its first char.
bool IsSubwordBySpaces(std::string_view text, const TokenPiece& piece);

// How HF's pipeline finds the words of a tokenizer family.
struct TokenWords {
  // True when the model has a continuing_subword_prefix (IsSubword), else
  // the spaces around the token decide (IsSubwordBySpaces).
  bool by_length = true;
  // convert_tokens_to_string: the tokenizer's decoder (text::Decoder; ops
  // does not depend on the tokenizer library, so the caller binds it).
  std::function<std::string(const std::vector<std::string>&)> join;
};

// The entities of one row. `labels` names the num_labels classes
// (id2label); entities whose label (kNone) or group (else) is in
// `ignore_labels` are left out.
std::vector<TokenEntity> DecodeTokenEntities(std::string_view text,
                                             const std::vector<TokenPiece>& pieces,
                                             const std::vector<std::string>& labels,
                                             TokenAggregation aggregation,
                                             const std::vector<std::string>& ignore_labels,
                                             const TokenWords& words);

// One row's entities as a JSON list with HF's keys ("entity" and "index" for
// kNone, "entity_group" otherwise) plus start_byte/end_byte; start/end are
// code points.
std::string TokenEntitiesJson(const std::vector<TokenEntity>& entities, TokenAggregation aggregation);

}  // namespace fasterbert::ops
