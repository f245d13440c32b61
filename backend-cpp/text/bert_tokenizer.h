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
#include "text/special_token_matcher.h"
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

// One encoded row. offsets[i] = [start, end) bytes of the token in its own
// text; (0, 0) for special tokens and padding.
struct Encoding {
  std::vector<int32_t> ids;
  std::vector<int32_t> type_ids;
  std::vector<int32_t> attention_mask;
  std::vector<std::pair<uint32_t, uint32_t>> offsets;

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

  // [CLS] text [SEP], truncated to max_length tokens in all. Reuses *out's
  // capacity. Thread-safe: concurrent calls on one tokenizer are fine.
  // Throws InvalidTextError, TextTooLongError, or std::invalid_argument when
  // max_length < 2.
  void Encode(std::string_view text, size_t max_length, Truncation truncation,
              Encoding* out) const;
  // [CLS] a [SEP] b [SEP]; type id 1 from b on. max_length must be >= 3.
  void EncodePair(std::string_view a, std::string_view b, size_t max_length,
                  Truncation truncation, Encoding* out) const;

  int32_t pad_id() const { return pad_id_; }
  int32_t unk_id() const { return unk_id_; }
  int32_t cls_id() const { return cls_id_; }
  int32_t sep_id() const { return sep_id_; }
  const Vocab& vocab() const { return *vocab_; }
  const BertTokenizerOptions& options() const { return options_; }

 private:
  struct Scratch;

  BertTokenizer(std::shared_ptr<const Vocab> vocab, const BertTokenizerOptions& options);
  // Appends the tokens of `text` to *tokens, stopping once it holds at least
  // `max_tokens` (later tokens cannot change the truncated result).
  void TokenizeText(std::string_view text, const char* what, size_t max_tokens, Scratch* scratch,
                    std::vector<Token>* tokens) const;

  std::shared_ptr<const Vocab> vocab_;
  BertTokenizerOptions options_;
  BertNormalizer normalizer_;
  WordPiece wordpiece_;
  SpecialTokenMatcher special_tokens_;
  int32_t unk_id_, cls_id_, sep_id_, pad_id_;
};

// Pads `encoding` on the right to `length` tokens: id pad_id, type id 0,
// mask 0, offsets (0, 0). Does nothing when it is already that long.
void PadEncoding(Encoding* encoding, size_t length, int32_t pad_id);

// Pads every row of a batch to its longest row; returns that length.
size_t PadBatchToLongest(std::vector<Encoding>* batch, int32_t pad_id);

}  // namespace fasterbert::text
