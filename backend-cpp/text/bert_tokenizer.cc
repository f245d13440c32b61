#include "text/bert_tokenizer.h"

#include <algorithm>
#include <cstdint>
#include <stdexcept>

#include "text/bert_pre_tokenizer.h"
#include "text/utf8.h"

namespace fasterbert::text {
namespace {

// Long texts are normalized a chunk at a time so that a truncated encoding
// stops work early. Chunks end before an ASCII space, tab or newline: such a
// char is a word break and a starter whatever the options, so no
// normalization step (clean text, CJK spacing, NFD reordering, lowercasing)
// can see across it.
constexpr size_t kChunkBytes = 16 * 1024;

size_t ChunkEnd(std::string_view text, size_t begin, size_t end) {
  if (end - begin <= kChunkBytes) return end;
  for (size_t i = begin + kChunkBytes; i < end; ++i) {
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') return i;
  }
  return end;
}

int32_t RequireToken(const Vocab& vocab, const std::string& token, const char* role) {
  const auto id = vocab.Find(token);
  if (!id) {
    throw std::runtime_error("vocab file '" + vocab.name() + "' has no " + role + " token '" +
                             token + "'");
  }
  return *id;
}

BertNormalizerOptions NormalizerOptionsOf(const BertTokenizerOptions& options) {
  BertNormalizerOptions n;
  n.clean_text = options.clean_text;
  n.handle_chinese_chars = options.handle_chinese_chars;
  n.strip_accents = options.strip_accents.value_or(options.lowercase);
  n.lowercase = options.lowercase;
  return n;
}

// BertWordPieceTokenizer registers unk, sep, cls, pad and mask as special
// tokens when the vocab has them; those are the ones matched in text.
std::vector<std::pair<std::string, int32_t>> SpecialTokensOf(const Vocab& vocab,
                                                             const BertTokenizerOptions& options) {
  std::vector<std::pair<std::string, int32_t>> tokens;
  if (!options.match_special_tokens_in_text) return tokens;
  for (const std::string* token : {&options.unk_token, &options.sep_token, &options.cls_token,
                                   &options.pad_token, &options.mask_token}) {
    if (const auto id = vocab.Find(*token)) tokens.emplace_back(*token, *id);
  }
  return tokens;
}

void CheckMaxLength(size_t max_length, size_t special_tokens) {
  if (max_length < special_tokens) {
    throw std::invalid_argument("max_length " + std::to_string(max_length) +
                                " leaves no room for the " + std::to_string(special_tokens) +
                                " special tokens");
  }
}

}  // namespace

struct BertTokenizer::Scratch {
  std::vector<SpecialTokenMatcher::Segment> segments;
  NormalizerScratch normalizer;
  std::vector<NormalizedChar> chars;
  std::vector<WordSpan> words;
  WordPieceScratch wordpiece;
  std::vector<Token> first;
  std::vector<Token> second;
};

void Encoding::Clear() {
  ids.clear();
  type_ids.clear();
  attention_mask.clear();
  offsets.clear();
}

BertTokenizer BertTokenizer::FromVocabFile(const std::string& path,
                                           const BertTokenizerOptions& options) {
  return FromVocab(Vocab::FromFile(path), options);
}

BertTokenizer BertTokenizer::FromVocab(Vocab vocab, const BertTokenizerOptions& options) {
  return BertTokenizer(std::make_shared<const Vocab>(std::move(vocab)), options);
}

BertTokenizer::BertTokenizer(std::shared_ptr<const Vocab> vocab,
                             const BertTokenizerOptions& options)
    : vocab_(vocab),
      options_(options),
      normalizer_(NormalizerOptionsOf(options)),
      wordpiece_(vocab, RequireToken(*vocab, options.unk_token, "unknown"),
                 options.continuing_subword_prefix, options.max_input_chars_per_word),
      special_tokens_(SpecialTokensOf(*vocab, options)),
      unk_id_(RequireToken(*vocab, options.unk_token, "unknown")),
      cls_id_(RequireToken(*vocab, options.cls_token, "classifier")),
      sep_id_(RequireToken(*vocab, options.sep_token, "separator")),
      pad_id_(RequireToken(*vocab, options.pad_token, "padding")) {}

void BertTokenizer::TokenizeText(std::string_view text, const char* what, size_t max_tokens,
                                 Scratch* s, std::vector<Token>* tokens) const {
  if (text.size() > UINT32_MAX) {
    throw InvalidTextError(std::string(what) + " is longer than 4 GiB");
  }
  if (const auto bad = FindInvalidUtf8(text)) {
    throw InvalidTextError(std::string(what) + " is not valid UTF-8 at byte " +
                           std::to_string(*bad));
  }
  special_tokens_.Split(text, &s->segments);
  for (const auto& segment : s->segments) {
    if (tokens->size() >= max_tokens) return;
    if (segment.id != SpecialTokenMatcher::kText) {
      tokens->push_back({segment.id, segment.begin, segment.end});
      continue;
    }
    for (size_t begin = segment.begin; begin < segment.end;) {
      const size_t end = ChunkEnd(text, begin, segment.end);
      normalizer_.Normalize(text, begin, end, &s->normalizer, &s->chars);
      BertPreTokenize(s->chars, &s->words);
      for (const WordSpan& word : s->words) {
        wordpiece_.Tokenize(s->chars.data() + word.begin, word.end - word.begin, &s->wordpiece,
                            tokens);
        if (tokens->size() >= max_tokens) return;
      }
      begin = end;
    }
  }
}

void BertTokenizer::Encode(std::string_view text, size_t max_length, Truncation truncation,
                           Encoding* out) const {
  CheckMaxLength(max_length, 2);
  thread_local Scratch scratch;
  const size_t budget = max_length - 2;
  // For one text every strategy only needs to know whether it has more than
  // `budget` tokens, so budget + 1 of them are enough.
  scratch.first.clear();
  TokenizeText(text, "text", budget + 1, &scratch, &scratch.first);
  const KeptLengths kept = ComputeTruncation(scratch.first.size(), std::nullopt, budget, truncation);

  out->Clear();
  const size_t n = kept.first + 2;
  out->ids.reserve(n);
  out->offsets.reserve(n);
  out->ids.push_back(cls_id_);
  out->offsets.emplace_back(0, 0);
  for (size_t i = 0; i < kept.first; ++i) {
    out->ids.push_back(scratch.first[i].id);
    out->offsets.emplace_back(scratch.first[i].start, scratch.first[i].end);
  }
  out->ids.push_back(sep_id_);
  out->offsets.emplace_back(0, 0);
  out->type_ids.assign(n, 0);
  out->attention_mask.assign(n, 1);
}

void BertTokenizer::EncodePair(std::string_view a, std::string_view b, size_t max_length,
                               Truncation truncation, Encoding* out) const {
  CheckMaxLength(max_length, 3);
  thread_local Scratch scratch;
  const size_t budget = max_length - 3;
  // Longest-first must know which text is longer, so it needs every token;
  // the other strategies only compare each length with the budget.
  const size_t cap = truncation == Truncation::kLongestFirst ? SIZE_MAX : budget + 1;
  scratch.first.clear();
  scratch.second.clear();
  TokenizeText(a, "first text", cap, &scratch, &scratch.first);
  TokenizeText(b, "second text", cap, &scratch, &scratch.second);
  const KeptLengths kept =
      ComputeTruncation(scratch.first.size(), scratch.second.size(), budget, truncation);

  out->Clear();
  const size_t n = kept.first + kept.second + 3;
  out->ids.reserve(n);
  out->type_ids.reserve(n);
  out->offsets.reserve(n);
  auto push = [out](int32_t id, int32_t type_id, uint32_t start, uint32_t end) {
    out->ids.push_back(id);
    out->type_ids.push_back(type_id);
    out->offsets.emplace_back(start, end);
  };
  push(cls_id_, 0, 0, 0);
  for (size_t i = 0; i < kept.first; ++i) {
    push(scratch.first[i].id, 0, scratch.first[i].start, scratch.first[i].end);
  }
  push(sep_id_, 0, 0, 0);
  for (size_t i = 0; i < kept.second; ++i) {
    push(scratch.second[i].id, 1, scratch.second[i].start, scratch.second[i].end);
  }
  push(sep_id_, 1, 0, 0);
  out->attention_mask.assign(n, 1);
}

void PadEncoding(Encoding* encoding, size_t length, int32_t pad_id) {
  if (encoding->size() >= length) return;
  encoding->ids.resize(length, pad_id);
  encoding->type_ids.resize(length, 0);
  encoding->attention_mask.resize(length, 0);
  encoding->offsets.resize(length, {0, 0});
}

size_t PadBatchToLongest(std::vector<Encoding>* batch, int32_t pad_id) {
  size_t longest = 0;
  for (const Encoding& e : *batch) longest = std::max(longest, e.size());
  for (Encoding& e : *batch) PadEncoding(&e, longest, pad_id);
  return longest;
}

}  // namespace fasterbert::text
