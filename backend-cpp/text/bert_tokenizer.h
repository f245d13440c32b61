// A BERT WordPiece tokenizer that gives the same ids, type ids and offsets as
// HF tokenizers' BertWordPieceTokenizer (BertNormalizer + BertPreTokenizer +
// WordPiece + [CLS] A [SEP] (B [SEP]) post-processing, with truncation).
//
// Differences from HF, all on purpose:
//  * offsets are BYTE offsets into the input text (HF's Python API gives
//    char offsets); offsets of second-text tokens are into the second text;
//  * input must be valid UTF-8 (InvalidTextError otherwise);
//  * max_length below the number of special tokens is rejected
//    (std::invalid_argument), where HF's unsigned subtraction wraps around
//    and silently disables truncation;
//  * Truncation::kDoNotTruncate, which HF lacks: over-long input throws
//    TextTooLongError.
//
// How: special tokens are split off the raw text, then one pass over each
// stretch between them. A char that normalization leaves alone (ASCII but
// for lowercasing; most CJK, punctuation and lowercase letters) is handled
// straight from the input bytes: an ASCII word is first looked up whole in
// a hash of the vocab's words, else walked through the WordPiece trie
// (wordpiece.h), and a CJK char or punctuation is one table lookup. Where a
// char needs real normalization (accents, case mappings, removed chars
// inside a word), the stretch from its word's start to the next char that
// can never join two words goes through the general path: BertNormalizer,
// BertPreTokenize, WordPiece over normalized chars. UTF-8 is validated
// along the way. Nothing is allocated per token: per-thread buffers grow to
// the largest text seen and are reused.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "text/bert_normalizer.h"
#include "text/errors.h"
#include "text/added_token_matcher.h"
#include "text/special_template.h"
#include "text/truncation.h"
#include "text/vocab.h"
#include "text/wordpiece.h"

namespace fasterbert::text {

struct BertTokenizerOptions {
  bool clean_text = true;
  bool handle_chinese_chars = true;
  bool lowercase = true;
  std::optional<bool> strip_accents;  // follows lowercase when unset
  std::string unk_token = "[UNK]";
  std::string cls_token = "[CLS]";
  std::string sep_token = "[SEP]";
  std::string pad_token = "[PAD]";
  // Optional: only matched in text when the vocab has it.
  std::string mask_token = "[MASK]";
  std::string continuing_subword_prefix = "##";
  size_t max_input_chars_per_word = 100;
  // Special tokens written in the text ("[SEP]") become that token, as in
  // HF; false treats them as ordinary text (HF's encode_special_tokens).
  bool match_special_tokens_in_text = true;
};

// Settings that replace what a tokenizer.json says (the pipeline's BERT
// options, given beside the file); unset ones keep the file's. A special
// token set here takes its id from model.vocab and is matched in the text.
struct BertTokenizerOverrides {
  std::optional<bool> clean_text;
  std::optional<bool> handle_chinese_chars;
  std::optional<bool> lowercase;
  std::optional<bool> strip_accents;
  std::optional<std::string> unk_token;
  std::optional<std::string> cls_token;
  std::optional<std::string> sep_token;
  std::optional<std::string> pad_token;
  std::optional<std::string> continuing_subword_prefix;
  std::optional<size_t> max_input_chars_per_word;
  bool empty() const;
};

// One encoded row. offsets[i] = [start, end) bytes of the token in its own
// text; (0, 0) for special tokens and padding.
struct Encoding {
  std::vector<int32_t> ids;
  std::vector<int32_t> type_ids;
  std::vector<int32_t> attention_mask;
  std::vector<std::pair<uint32_t, uint32_t>> offsets;
  // Per token, the word of its own text it belongs to (kNoWord for special
  // tokens): filled only by callers that need words (QA's windows), else
  // empty, so that encoding stays as fast without them.
  static constexpr uint32_t kNoWord = UINT32_MAX;
  std::vector<uint32_t> words;

  size_t size() const { return ids.size(); }
  // Empties the row but keeps its capacity.
  void Clear();
};

class BertTokenizer {
 public:
  // A max_length that never truncates.
  static constexpr size_t kNoMaxLength = SIZE_MAX;

  // Throws std::runtime_error naming the file when it cannot be read, or
  // naming the token when unk/cls/sep/pad is not in the vocab.
  static BertTokenizer FromVocabFile(const std::string& path,
                                     const BertTokenizerOptions& options = {});
  static BertTokenizer FromVocab(Vocab vocab, const BertTokenizerOptions& options = {});

  // A HF tokenizer.json: BertNormalizer (or none), BertPreTokenizer, a
  // WordPiece model, and the BERT template ([CLS] A [SEP], [CLS] A [SEP]
  // B [SEP]) as TemplateProcessing or BertProcessing, or a template of its
  // shape with two separators between the texts (MPNet's <s> A </s> </s>
  // B </s>) and B's type id 0 or 1; its added tokens (lstrip and rstrip
  // too) are matched in the raw text. Anything else is rejected with a
  // std::runtime_error that names the file and the field (for example
  // "pre_tokenizer.type: 'Whitespace' is not supported"). `overrides`
  // replace the file's settings; a token among them that model.vocab lacks
  // is rejected the same way.
  static BertTokenizer FromTokenizerJson(const std::string& path,
                                         const BertTokenizerOverrides& overrides = {});
  static BertTokenizer FromTokenizerJsonString(std::string_view json, const std::string& name,
                                               const BertTokenizerOverrides& overrides = {});

  // [CLS] text [SEP], truncated to max_length tokens in all. Reuses *out's
  // capacity. Thread-safe: concurrent calls on one tokenizer are fine.
  // Throws InvalidTextError, TextTooLongError, or std::invalid_argument when
  // max_length < 2.
  void Encode(std::string_view text, size_t max_length, Truncation truncation,
              Encoding* out) const;
  // [CLS] a [SEP] b [SEP] (two [SEP] after a where the template has them);
  // type id pair_b_type_id() from b on. max_length must be at least the
  // pair's special tokens (3 or 4).
  void EncodePair(std::string_view a, std::string_view b, size_t max_length,
                  Truncation truncation, Encoding* out) const;

  int32_t pad_id() const { return pad_id_; }
  int32_t unk_id() const { return unk_id_; }
  int32_t cls_id() const { return template_.single_before.ids[0]; }
  int32_t sep_id() const { return template_.single_after.ids[0]; }
  // [SEP]s between a and b (1, or 2 as MPNet's template), and b's type id.
  size_t pair_separators() const { return template_.pair_between.size(); }
  int32_t pair_b_type_id() const { return template_.pair_b_type_id; }
  // The BERT template (bert_template.h) that Encode and EncodePair follow.
  const SpecialTemplate& special_template() const { return template_; }
  const Vocab& vocab() const { return *vocab_; }
  const BertTokenizerOptions& options() const { return options_; }

 private:
  friend struct BertTokenizerTestPeer;  // tests and the fuzzer
  struct Scratch;
  // The special tokens: the ids the template adds, and the tokens matched
  // in the raw text.
  struct Specials {
    int32_t unk_id, pad_id;
    SpecialTemplate bert_template;  // BERT-shaped: [CLS] A [SEP] (B [SEP])
    std::vector<AddedTokenMatcher::Token> matched;
  };

  BertTokenizer(std::shared_ptr<const Vocab> vocab, const BertTokenizerOptions& options,
                Specials specials);
  // Appends the tokens of `text` to *tokens, stopping once it holds at least
  // `max_tokens` (later tokens cannot change the truncated result).
  void TokenizeText(std::string_view text, const char* what, size_t max_tokens, Scratch* scratch,
                    TokenBuffer* tokens) const;
  // The same over text[begin, end), which holds no special token; returns
  // where it stopped (end, unless max_tokens stopped it first).
  size_t TokenizeSpan(std::string_view text, size_t begin, size_t end, size_t max_tokens,
                    Scratch* scratch, TokenBuffer* tokens) const;
  // Appends the pieces of the word that starts at text[begin] and returns
  // its end, when normalization leaves all of the word as it is (but for
  // ASCII lowercasing); else appends nothing and returns kNotSimple.
  static constexpr size_t kNotSimple = SIZE_MAX;
  // The first byte at or after i that is not an ASCII word char.
  size_t AsciiWordEnd(const uint8_t* text, size_t i, size_t end) const;
  // The same for the ASCII word text[begin, end) (known to end there), with
  // a whole-word lookup first; text_size bounds what may be read.
  void TokenizeAsciiWord(const uint8_t* text, size_t begin, size_t end, size_t text_size,
                         TokenBuffer* tokens) const;
  size_t TokenizeSimpleWord(const uint8_t* text, size_t begin, size_t span_end,
                            TokenBuffer* tokens) const;
  // The general path over text[begin, end), where `end` is the first cut
  // point (see the .cc) at or after `from`: normalize, pre-tokenize, then
  // WordPiece each word. Returns `end`.
  size_t TokenizeGeneral(std::string_view text, size_t begin, size_t from, size_t span_end,
                         Scratch* scratch, TokenBuffer* tokens) const;
  // The class of the char at text[i] (see CharClass in the .cc), and its
  // length in bytes.
  // Throws InvalidUtf8At when the char is not valid UTF-8 or does not end
  // before `limit`; TokenizeText turns that into an InvalidTextError.
  struct InvalidUtf8At {
    size_t position;
  };
  uint8_t ClassAt(const uint8_t* text, size_t i, size_t limit, size_t* length) const;
  // The same, and for punctuation and CJK the id of the char as a word.
  uint8_t ClassAt(const uint8_t* text, size_t i, size_t limit, size_t* length,
                  int32_t* single_id) const;

  std::shared_ptr<const Vocab> vocab_;
  BertTokenizerOptions options_;
  BertNormalizer normalizer_;
  WordPiece wordpiece_;
  AddedTokenMatcher special_tokens_;
  int32_t unk_id_, pad_id_;
  SpecialTemplate template_;
  // What the fast path does with a char (see CharClass in the .cc): by byte
  // for ASCII, by Unicode flags for the rest; both follow the options.
  uint8_t ascii_class_[128];
  // By byte: the normalized byte of an ASCII word char, else -1.
  int16_t byte_action_[256];
  bool ascii_words_are_alnum_ = false;  // the ASCII word chars are [0-9A-Za-z]
  // By BMP code point: class | single-char word id << 8 (256 KiB); an id
  // of kLookUpId (too large to fit) is looked up in the trie instead.
  static constexpr uint32_t kLookUpId = 0xFFFFFF;
  std::vector<uint32_t> bmp_info_;
  uint8_t flags_class_[256];
  int32_t ascii_single_id_[128];  // id of a one-char ASCII word
  // Testing only: send every span through the general path, so that the
  // fast path can be checked against it.
  bool general_path_only_ = false;
};

}  // namespace fasterbert::text
