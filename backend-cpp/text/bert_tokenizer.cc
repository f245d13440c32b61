#include "text/bert_tokenizer.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <stdexcept>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "text/bert_pre_tokenizer.h"
#include "text/bert_template.h"
#include "text/unicode_properties.h"
#include "text/utf8.h"

namespace fasterbert::text {
namespace {

// What the fast path does with one char, given the options.
enum CharClass : uint8_t {
  kWordChar,  // part of a word, and normalization leaves it as it is
              // (ASCII letters are lowercased on the fly)
  kSpace,     // whitespace: ends a word and is dropped
  kRemoved,   // dropped by clean_text (a word goes on across it)
  kPunct,     // punctuation: a word of its own
  kCjk,       // a CJK ideograph that handle_chinese_chars spaces out: a word of its own
  kComplex,   // anything else: normalization may change, drop or reorder it
};

// A cut point is a char that starts a separate word and that no
// normalization step can join with what is on either side of it: a starter
// (so NFD reordering stops there), not removed, and never part of a word.
bool IsCutPoint(uint8_t cls) { return cls == kSpace || cls == kPunct || cls == kCjk; }

uint8_t Classify(uint8_t flags, const BertNormalizerOptions& o, bool ascii) {
  using namespace unicode_data;
  if (o.clean_text && (flags & kRemovedByClean)) return kRemoved;
  if (o.clean_text && (flags & kWhitespace)) return kSpace;
  // NFD (only done when stripping accents) may decompose or reorder it.
  if (o.strip_accents && (flags & (kHasDecomposition | kNonStarter | kNonspacingMark))) {
    return kComplex;
  }
  // ASCII is lowercased on the fly; elsewhere a mapping may have more chars.
  if (!ascii && o.lowercase && (flags & kHasLowercase)) return kComplex;
  if (o.handle_chinese_chars && (flags & kChinese)) return kCjk;
  // Without clean_text whitespace is kept, and still splits words.
  if (flags & kWhitespace) return kSpace;
  if (flags & kPunctuation) return kPunct;
  return kWordChar;
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
std::vector<AddedTokenMatcher::Token> SpecialTokensOf(const Vocab& vocab,
                                                     const BertTokenizerOptions& options) {
  std::vector<AddedTokenMatcher::Token> tokens;
  if (!options.match_special_tokens_in_text) return tokens;
  for (const std::string* token : {&options.unk_token, &options.sep_token, &options.cls_token,
                                   &options.pad_token, &options.mask_token}) {
    if (const auto id = vocab.Find(*token)) tokens.push_back({*token, *id});
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
  std::vector<AddedTokenMatcher::Segment> segments;
  NormalizerScratch normalizer;
  std::vector<NormalizedChar> chars;
  std::vector<WordSpan> words;
  WordPieceScratch wordpiece;
  TokenBuffer first;
  TokenBuffer second;
};

void Encoding::Clear() {
  ids.clear();
  type_ids.clear();
  attention_mask.clear();
  offsets.clear();
  words.clear();
}

BertTokenizer BertTokenizer::FromVocabFile(const std::string& path,
                                           const BertTokenizerOptions& options) {
  return FromVocab(Vocab::FromFile(path), options);
}

BertTokenizer BertTokenizer::FromVocab(Vocab vocab, const BertTokenizerOptions& options) {
  Specials specials;
  specials.unk_id = RequireToken(vocab, options.unk_token, "unknown");
  specials.bert_template = BertTemplate(RequireToken(vocab, options.cls_token, "classifier"),
                                        RequireToken(vocab, options.sep_token, "separator"));
  specials.pad_id = RequireToken(vocab, options.pad_token, "padding");
  specials.matched = SpecialTokensOf(vocab, options);
  return BertTokenizer(std::make_shared<const Vocab>(std::move(vocab)), options,
                       std::move(specials));
}

BertTokenizer::BertTokenizer(std::shared_ptr<const Vocab> vocab,
                             const BertTokenizerOptions& options, Specials specials)
    : vocab_(vocab),
      options_(options),
      normalizer_(NormalizerOptionsOf(options)),
      wordpiece_(*vocab, specials.unk_id, options.continuing_subword_prefix,
                 options.max_input_chars_per_word),
      special_tokens_(options.match_special_tokens_in_text
                          ? std::move(specials.matched)
                          : std::vector<AddedTokenMatcher::Token>{}),
      unk_id_(specials.unk_id),
      pad_id_(specials.pad_id),
      template_(std::move(specials.bert_template)) {
  const BertNormalizerOptions& n = normalizer_.options();
  for (uint32_t b = 0; b < 128; ++b) {
    ascii_class_[b] = Classify(UnicodeFlags(b), n, true);
    uint8_t c = static_cast<uint8_t>(b);
    if (n.lowercase && c >= 'A' && c <= 'Z') c += 32;
    byte_action_[b] = ascii_class_[b] == kWordChar ? c : -1;
    ascii_single_id_[b] = wordpiece_.SingleCharId(&c, 1);
  }
  for (uint32_t b = 128; b < 256; ++b) byte_action_[b] = -1;
  ascii_words_are_alnum_ = true;
  for (uint32_t b = 0; b < 128; ++b) {
    const bool alnum = (b >= '0' && b <= '9') || ((b | 0x20) >= 'a' && (b | 0x20) <= 'z');
    ascii_words_are_alnum_ = ascii_words_are_alnum_ && (byte_action_[b] >= 0) == alnum;
  }
  // The ASCII fast path looks words up whole: their bytes are word chars,
  // already lowercased when lowercasing.
  bool key_byte[256] = {};
  for (uint32_t b = 0; b < 128; ++b) key_byte[b] = byte_action_[b] == static_cast<int16_t>(b);
  wordpiece_.IndexWholeWords(key_byte);
  for (uint32_t f = 0; f < 256; ++f) flags_class_[f] = Classify(static_cast<uint8_t>(f), n, false);
  // The BMP by code point: class, and the id of the char as a word of its
  // own (for punctuation and CJK), so that Chinese text costs one lookup a
  // char. (Surrogates never get here: they are not valid UTF-8.)
  bmp_info_.assign(0x10000, 0);
  for (char32_t cp = 0x80; cp < 0x10000; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    const uint8_t cls = flags_class_[UnicodeFlags(cp)];
    uint32_t id = static_cast<uint32_t>(unk_id_);
    if (cls == kPunct || cls == kCjk) {
      std::string bytes;
      AppendUtf8(cp, &bytes);
      id = static_cast<uint32_t>(
          wordpiece_.SingleCharId(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
    }
    bmp_info_[cp] = cls | std::min(id, kLookUpId) << 8;  // huge ids are looked up
  }
}

void BertTokenizer::TokenizeText(std::string_view text, const char* what, size_t max_tokens,
                                 Scratch* s, TokenBuffer* tokens) const {
  if (text.size() > UINT32_MAX) {
    throw InvalidTextError(std::string(what) + " is longer than 4 GiB");
  }
  // The text is validated as it is read (see ClassAt); what truncation
  // leaves unread is validated at the end. Special tokens are valid UTF-8.
  size_t read = text.size();
  if (general_path_only_) read = 0;  // the general path reads unchecked
  try {
    special_tokens_.Split(text, &s->segments);
    for (const auto& segment : s->segments) {
      if (tokens->size() >= max_tokens) {
        read = segment.begin;
        break;
      }
      if (segment.id != AddedTokenMatcher::kText) {
        tokens->push_back({segment.id, segment.begin, segment.end});
        continue;
      }
      if (general_path_only_) {
        if (const auto bad = FindInvalidUtf8(text)) throw InvalidUtf8At{*bad};
        normalizer_.Normalize(text, segment.begin, segment.end, &s->normalizer, &s->chars);
        BertPreTokenize(s->chars, &s->words);
        for (const WordSpan& word : s->words) {
          wordpiece_.Tokenize(s->chars.data() + word.begin, word.end - word.begin,
                              &s->wordpiece, tokens);
        }
        continue;
      }
      const size_t stop = TokenizeSpan(text, segment.begin, segment.end, max_tokens, s, tokens);
      if (stop < segment.end) {
        read = stop;
        break;
      }
    }
  } catch (const InvalidUtf8At& bad) {
    read = bad.position;
  }
  if (read < text.size()) {
    if (const auto bad = FindInvalidUtf8(text.substr(read))) {
      throw InvalidTextError(std::string(what) + " is not valid UTF-8 at byte " +
                             std::to_string(read + *bad));
    }
  }
}

inline uint8_t BertTokenizer::ClassAt(const uint8_t* text, size_t i, size_t limit,
                                      size_t* length) const {
  int32_t id;
  return ClassAt(text, i, limit, length, &id);
}

inline uint8_t BertTokenizer::ClassAt(const uint8_t* text, size_t i, size_t limit, size_t* length,
                                      int32_t* single_id) const {
  if (text[i] < 0x80) {
    *length = 1;
    *single_id = ascii_single_id_[text[i]];
    return ascii_class_[text[i]];
  }
  // Every non-ASCII char passes here before anything else reads it, so this
  // is where the text is validated.
  char32_t cp;
  const int n = DecodeUtf8Checked(text + i, limit - i, &cp);
  if (n == 0) throw InvalidUtf8At{i};
  *length = static_cast<size_t>(n);
  if (cp < 0x10000) {
    const uint32_t info = bmp_info_[cp];
    *single_id = static_cast<int32_t>(info >> 8);
    if (info >> 8 == kLookUpId) *single_id = wordpiece_.SingleCharId(text + i, *length);
    return static_cast<uint8_t>(info);
  }
  const uint8_t cls = flags_class_[UnicodeFlags(cp)];
  *single_id = cls == kPunct || cls == kCjk ? wordpiece_.SingleCharId(text + i, *length) : unk_id_;
  return cls;
}

// Tokenizes the word that starts at s[begin] when all of it is simple chars
// and returns its end; returns kNotSimple, appending nothing, when the word
// goes on across a removed or complex char (the general path's work).
inline size_t BertTokenizer::TokenizeSimpleWord(const uint8_t* s, size_t begin, size_t span_end,
                                                TokenBuffer* tokens) const {
  const size_t mark = tokens->size();
  WordPiece::Walk walk = wordpiece_.Begin(static_cast<uint32_t>(begin));
  size_t i = begin;
  size_t continuation_bytes = 0;  // chars = bytes - continuation bytes
  // Walk the trie while reading the word.
  while (i < span_end) {
    const int16_t normalized = byte_action_[s[i]];
    if (normalized >= 0) {  // an ASCII word char
      walk = wordpiece_.Feed(walk, static_cast<uint32_t>(normalized), tokens);
      if (walk.failed()) goto unknown;
      ++i;
      continue;
    }
    size_t length;
    const uint8_t cls = ClassAt(s, i, span_end, &length);
    if (cls != kWordChar) {
      if (!IsCutPoint(cls)) goto not_simple;
      break;
    }
    continuation_bytes += length - 1;
    for (size_t k = 0; k < length; ++k) {
      walk = wordpiece_.Feed(walk, s[i + k], tokens);
      if (walk.failed()) {
        i += length;
        goto unknown;
      }
    }
    i += length;
  }
  if (i - begin - continuation_bytes <= wordpiece_.max_input_chars_per_word() &&
      wordpiece_.Finish(walk, static_cast<uint32_t>(i), tokens)) {
    return i;
  }
  tokens->truncate(mark);
  tokens->push_back({unk_id_, static_cast<uint32_t>(begin), static_cast<uint32_t>(i)});
  return i;
unknown:
  // Some piece is not in the vocab: read on to the end of the word.
  tokens->truncate(mark);
  while (i < span_end) {
    if (byte_action_[s[i]] >= 0) {
      ++i;
      continue;
    }
    size_t length;
    const uint8_t cls = ClassAt(s, i, span_end, &length);
    if (cls != kWordChar) {
      if (!IsCutPoint(cls)) goto not_simple;
      break;
    }
    i += length;
  }
  tokens->push_back({unk_id_, static_cast<uint32_t>(begin), static_cast<uint32_t>(i)});
  return i;
not_simple:
  tokens->truncate(mark);
  return kNotSimple;
}

namespace {

// 'A'..'Z' -> 'a'..'z' in each byte of x, whose bytes are all ASCII: a byte
// gets its 0x20 bit when adding 0x3F sets its top bit (>= 'A') and adding
// 0x25 does not (<= 'Z'). No sum carries into the next byte.
inline uint64_t LowercaseAsciiBytes(uint64_t x) {
  constexpr uint64_t kTop = 0x8080808080808080ull;
  const uint64_t upper = (x + 0x3F3F3F3F3F3F3F3Full) & ~(x + 0x2525252525252525ull) & kTop;
  return x | (upper >> 2);
}

}  // namespace

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "whole-word keys load bytes little-endian");

inline void BertTokenizer::TokenizeAsciiWord(const uint8_t* s, size_t begin, size_t end,
                                             size_t text_size, TokenBuffer* tokens) const {
  const size_t n = end - begin;
  if (n <= wordpiece_.max_input_chars_per_word()) {
    if (n <= WordPiece::kMaxKeyBytes) {
      // The word's bytes as a key (see WordPiece::WholeWordId).
      uint64_t k0, k1;
      if (begin + 16 <= text_size) {
        std::memcpy(&k0, s + begin, 8);
        std::memcpy(&k1, s + begin + 8, 8);
      } else {
        uint8_t buffer[16] = {};
        std::memcpy(buffer, s + begin, n);
        std::memcpy(&k0, buffer, 8);
        std::memcpy(&k1, buffer + 8, 8);
      }
      if (n < 8) {
        k0 &= (uint64_t{1} << (8 * n)) - 1;
        k1 = 0;
      } else {
        k1 &= (uint64_t{1} << (8 * (n - 8))) - 1;
      }
      if (normalizer_.options().lowercase) {
        k0 = LowercaseAsciiBytes(k0);
        k1 = LowercaseAsciiBytes(k1);
      }
      const int32_t id = wordpiece_.WholeWordId(k0, static_cast<uint32_t>(k1), n);
      if (id >= 0) {
        tokens->push_back({id, static_cast<uint32_t>(begin), static_cast<uint32_t>(end)});
        return;
      }
    }
    // Several pieces (or none): walk the trie.
    const size_t mark = tokens->size();
    WordPiece::Walk walk = wordpiece_.Begin(static_cast<uint32_t>(begin));
    size_t i = begin;
    for (; i < end; ++i) {
      walk = wordpiece_.Feed(walk, static_cast<uint32_t>(byte_action_[s[i]]), tokens);
      if (walk.failed()) break;
    }
    if (i == end && wordpiece_.Finish(walk, static_cast<uint32_t>(end), tokens)) return;
    tokens->truncate(mark);
  }
  tokens->push_back({unk_id_, static_cast<uint32_t>(begin), static_cast<uint32_t>(end)});
}

inline size_t BertTokenizer::AsciiWordEnd(const uint8_t* s, size_t i, size_t end) const {
#if defined(__SSE2__)
  if (ascii_words_are_alnum_) {
    // 16 bytes at a time: a byte is a word char when it is a digit, or a
    // letter once 0x20 is or-ed in.
    const __m128i lower = _mm_set1_epi8(0x20);
    while (i + 16 <= end) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
      const __m128i letter = _mm_or_si128(v, lower);
      // Signed compares: bytes >= 0x80 are negative, so never in range.
      const __m128i is_letter = _mm_and_si128(_mm_cmpgt_epi8(letter, _mm_set1_epi8('a' - 1)),
                                              _mm_cmplt_epi8(letter, _mm_set1_epi8('z' + 1)));
      const __m128i is_digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                                             _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
      const unsigned word = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(is_letter, is_digit)));
      if (word != 0xFFFF) return i + static_cast<size_t>(__builtin_ctz(~word));
      i += 16;
    }
  }
#endif
  while (i < end && byte_action_[s[i]] >= 0) ++i;
  return i;
}

// The fast path. Most chars need no normalization beyond ASCII lowercasing
// and clean_text's dropping or spacing, so words are tokenized straight from
// the input bytes. A stretch that holds anything else goes through the
// general path from the start of its word to the next cut point.
size_t BertTokenizer::TokenizeSpan(std::string_view text, size_t begin, size_t end,
                                   size_t max_tokens, Scratch* scratch,
                                   TokenBuffer* tokens) const {
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  size_t i = begin;
  while (i < end) {
    if (tokens->size() >= max_tokens) return i;
    size_t len = 1;
    if (byte_action_[s[i]] < 0) {
      int32_t single_id;
      switch (ClassAt(s, i, end, &len, &single_id)) {
        case kSpace:
        case kRemoved:
          i += len;
          continue;
        case kPunct:
        case kCjk:
          tokens->push_back({single_id, static_cast<uint32_t>(i), static_cast<uint32_t>(i + len)});
          i += len;
          continue;
        case kWordChar:
          break;
        default:
          i = TokenizeGeneral(text, i, i + len, end, scratch, tokens);
          continue;
      }
    }
    // A word starts here. Most are ASCII through and through.
    if (s[i] < 0x80) {
      const size_t j = AsciiWordEnd(s, i + 1, end);
      size_t l;
      if (j == end || IsCutPoint(ClassAt(s, j, end, &l))) {
        TokenizeAsciiWord(s, i, j, text.size(), tokens);
        // Skip the space that usually follows.
        i = j + (j < end && s[j] == ' ');
        continue;
      }
    }
    const size_t word_end = TokenizeSimpleWord(s, i, end, tokens);
    i = word_end != kNotSimple ? word_end : TokenizeGeneral(text, i, i + len, end, scratch, tokens);
  }
  return end;
}

size_t BertTokenizer::TokenizeGeneral(std::string_view text, size_t begin, size_t from,
                                      size_t span_end, Scratch* s, TokenBuffer* tokens) const {
  // The stretch ends at the next cut point.
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  size_t end = from;
  while (end < span_end) {
    size_t l;
    if (IsCutPoint(ClassAt(bytes, end, span_end, &l))) break;
    end += l;
  }
  normalizer_.Normalize(text, begin, end, &s->normalizer, &s->chars);
  BertPreTokenize(s->chars, &s->words);
  for (const WordSpan& word : s->words) {
    wordpiece_.Tokenize(s->chars.data() + word.begin, word.end - word.begin, &s->wordpiece,
                        tokens);
  }
  return end;
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
  KeptLengths kept;
  try {
    kept = ComputeTruncation(scratch.first.size(), std::nullopt, budget, truncation);
  } catch (const TextTooLongError&) {
    // The error names the token count: count them all (error path only).
    scratch.first.clear();
    TokenizeText(text, "text", SIZE_MAX, &scratch, &scratch.first);
    ComputeTruncation(scratch.first.size(), std::nullopt, budget, truncation);
    throw;
  }

  const size_t n = kept.first + 2;
  // resize + indexing: no per-token capacity checks.
  out->ids.resize(n);
  out->offsets.resize(n);
  int32_t* ids = out->ids.data();
  auto* offsets = out->offsets.data();
  ids[0] = cls_id();
  offsets[0] = {0, 0};
  const Token* tokens = scratch.first.begin();
  for (size_t i = 0; i < kept.first; ++i) {
    ids[i + 1] = tokens[i].id;
    offsets[i + 1] = {tokens[i].start, tokens[i].end};
  }
  ids[n - 1] = sep_id();
  offsets[n - 1] = {0, 0};
  out->type_ids.assign(n, 0);
  out->attention_mask.assign(n, 1);
}

void BertTokenizer::EncodePair(std::string_view a, std::string_view b, size_t max_length,
                               Truncation truncation, Encoding* out) const {
  const size_t specials = 2 + pair_separators();
  CheckMaxLength(max_length, specials);
  thread_local Scratch scratch;
  const size_t budget = max_length - specials;
  // Longest-first must know which text is longer, so it needs every token;
  // the other strategies only compare each length with the budget.
  const size_t cap = truncation == Truncation::kLongestFirst ? SIZE_MAX : budget + 1;
  scratch.first.clear();
  scratch.second.clear();
  TokenizeText(a, "first text", cap, &scratch, &scratch.first);
  TokenizeText(b, "second text", cap, &scratch, &scratch.second);
  KeptLengths kept;
  try {
    kept = ComputeTruncation(scratch.first.size(), scratch.second.size(), budget, truncation);
  } catch (const TextTooLongError&) {
    // The error names the token counts: count them all (error path only).
    scratch.first.clear();
    scratch.second.clear();
    TokenizeText(a, "first text", SIZE_MAX, &scratch, &scratch.first);
    TokenizeText(b, "second text", SIZE_MAX, &scratch, &scratch.second);
    ComputeTruncation(scratch.first.size(), scratch.second.size(), budget, truncation);
    throw;
  }

  const size_t n = kept.first + kept.second + specials;
  out->ids.resize(n);
  out->type_ids.resize(n);
  out->offsets.resize(n);
  size_t k = 0;
  auto put = [out, &k](int32_t id, int32_t type_id, uint32_t start, uint32_t end) {
    out->ids[k] = id;
    out->type_ids[k] = type_id;
    out->offsets[k] = {start, end};
    ++k;
  };
  const int32_t sep = sep_id(), b_type_id = pair_b_type_id();
  put(cls_id(), 0, 0, 0);
  for (size_t i = 0; i < kept.first; ++i) {
    put(scratch.first[i].id, 0, scratch.first[i].start, scratch.first[i].end);
  }
  for (size_t i = 0; i < pair_separators(); ++i) put(sep, 0, 0, 0);
  for (size_t i = 0; i < kept.second; ++i) {
    put(scratch.second[i].id, b_type_id, scratch.second[i].start, scratch.second[i].end);
  }
  put(sep, b_type_id, 0, 0);
  out->attention_mask.assign(n, 1);
}

}  // namespace fasterbert::text
