// The tokenizer runtime behind one interface: any supported HF
// tokenizer.json becomes a Tokenizer. A plain BERT file (what
// BertTokenizer::FromTokenizerJson accepts) gets the fast BertTokenizer;
// anything else is assembled from components as HF does it: added tokens
// split off the raw text, then per stretch normalizer -> pre-tokenizer ->
// model, then truncation and the post-processor's special tokens.
//
// Offsets are BYTE offsets into the original text (of the second text for
// the second sequence); (0, 0) for special tokens.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "text/bert_tokenizer.h"
#include "text/special_template.h"
#include "text/token.h"
#include "text/truncation.h"

namespace fasterbert::text {

class Tokenizer {
 public:
  static constexpr size_t kNoMaxLength = SIZE_MAX;
  virtual ~Tokenizer() = default;

  // Throws std::runtime_error naming the file, the JSON path, the component
  // and what is supported, for anything not implemented. A WordPiece file
  // is plain BERT or refused (with BertTokenizer's error); `bert_overrides`
  // apply to plain BERT files only, and any other file given some is refused.
  static std::unique_ptr<Tokenizer> FromTokenizerJson(
      const std::string& path, const BertTokenizerOverrides& bert_overrides = {});
  static std::unique_ptr<Tokenizer> FromTokenizerJsonString(
      std::string_view json, const std::string& name,
      const BertTokenizerOverrides& bert_overrides = {});
  // The fast WordPiece tokenizer behind this interface.
  static std::unique_ptr<Tokenizer> FromBert(BertTokenizer bert);

  // As BertTokenizer::Encode / EncodePair (same errors), for every family.
  // Thread-safe.
  virtual void Encode(std::string_view text, size_t max_length, Truncation truncation,
                      Encoding* out) const = 0;
  virtual void EncodePair(std::string_view a, std::string_view b, size_t max_length,
                          Truncation truncation, Encoding* out) const = 0;
  // The tokens of `text` without special tokens (for callers that build
  // their own windows, with special_template()). Replaces *out.
  virtual void Tokenize(std::string_view text, std::vector<Token>* out) const = 0;
  // The same, and per token the word it belongs to in *words, as HF's
  // Encoding.word_ids numbers them: a word is one split of the
  // pre-tokenizer (an added token matched in the text is one of its own),
  // so tokens of one word are consecutive and share its number. QA widens
  // answers to whole words with them; Tokenize does not pay for them.
  virtual void TokenizeWords(std::string_view text, std::vector<Token>* out,
                             std::vector<uint32_t>* words) const = 0;
  virtual const SpecialTemplate& special_template() const = 0;
  virtual int32_t pad_id() const = 0;

  // What NER needs to make HF's words of the tokens, for every family:
  // The token string of an id (HF's convert_ids_to_tokens): the vocab's or
  // an added token's; "" for an id that has none.
  virtual std::string_view IdToToken(int32_t id) const = 0;
  // The model's unknown token, or -1 when it has none.
  virtual int32_t unk_id() const = 0;
  // The model's continuing_subword_prefix ("##"), "" when it has none
  // (Unigram, byte-level BPE): HF's NER then guesses words from spaces.
  virtual const std::string& continuing_subword_prefix() const = 0;
  // HF's convert_tokens_to_string with the file's decoder. Throws
  // std::runtime_error when decoder_error() is not empty.
  virtual std::string TokensToString(const std::vector<std::string>& tokens) const = 0;
  // Why TokensToString cannot work (an unsupported decoder), else "".
  virtual const std::string& decoder_error() const = 0;
  // The fast WordPiece tokenizer when this is one, else nullptr (for callers
  // that want its options; the pipeline needs only the interface above).
  virtual const BertTokenizer* bert() const { return nullptr; }
};

}  // namespace fasterbert::text
