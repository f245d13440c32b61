// libFuzzer target for the tokenizer (built by test/tokenizer/fuzz/run.sh
// with clang, ASan and UBSan). Random bytes go through Encode/EncodePair
// with random options, truncation and max_length, on tokenizers made from a
// built-in vocab that has a bit of every kind of token. It must never crash,
// and every call is checked:
//  - invalid UTF-8 in a text throws InvalidTextError, valid text never does;
//  - a result has [CLS] first and [SEP] last, ids in the vocab, equal-length
//    rows, at most max_length tokens, and offsets inside the text, in order;
//  - the fast path gives exactly what the general path (normalize,
//    pre-tokenize, WordPiece, char by char) gives, errors included;
//  - encoding twice gives the same result.
// A first byte of 0xFF fuzzes the tokenizer.json reader instead: any
// document must load or fail with std::runtime_error, nothing else.
//
// With FASTERBERT_FUZZ_TOKENIZER_JSON=FILE (test/tokenizer/fuzz/run.sh's
// FUZZ_TOKENIZER_JSON) the tokenizer is Tokenizer::FromTokenizerJson(FILE),
// any family, built once; the same bytes go through its Encode/EncodePair
// and the checks need no reference: InvalidTextError iff invalid UTF-8; a
// result is the template's specials around a prefix of Tokenize(a) (and of
// Tokenize(b)), ids inside the file's vocab, offsets inside their own text
// and in order, at most max_length tokens; encoding twice gives the same.
// The 0xFF documents then go to the generic reader.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "text/bert_tokenizer.h"
#include "text/json.h"
#include "text/tokenizer.h"
#include "text/utf8.h"

namespace fasterbert::text {

struct BertTokenizerTestPeer {
  static void SetGeneralPathOnly(BertTokenizer* tokenizer, bool value) {
    tokenizer->general_path_only_ = value;
  }
};

namespace {

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "tokenizer fuzz check failed: %s\n", what);
  std::abort();
}

void Check(bool ok, const char* what) {
  if (!ok) Die(what);
}

const char* const kTokens[] = {
    "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "hello", "world", "Hello", "HELLO",
    "un", "##aff", "##able", "##s", "##ing", "##ed", "a", "b", "c", "d", "e", "x", "y", "z",
    "##a", "##b", "##c", "##e", "##x", "aaaaaaaaaaaa", "##aaaa", "0", "1", "12", "##3", ".",
    ",", "!", "?", "'", "-", "[", "]", "#", "##", "$", "\xE2\x80\x99" /* ’ */,
    "\xC3\xA9" /* é */, "caf", "##\xC3\xA9", "cafe", "caf\xC3\xA9",
    "\xE4\xB8\xAD" /* 中 */, "\xE6\x96\x87" /* 文 */, "##\xE4\xB8\xAD",
    "\xC3\x9F" /* ß */, "ss", "i", "##\xCC\x87" /* ##U+0307 */, "\xCC\x81" /* U+0301 */,
    "\xE1\x84\x80" /* U+1100 */, "##\xE1\x85\xA1" /* ##U+1161 */,
    "\xF0\x9F\x98\x80" /* 😀 */, "##\xF0\x9F\x98\x80", "\xEF\xBD\x81" /* ａ */,
    "\xD0\xBC\xD0\xB8\xD1\x80" /* мир */, "\xD0\xBC", "##\xD0\xB8", "##\xD1\x80", "\xE3\x80\x82",
    "\xCE\xB1" /* α */, "\xC4\xB1" /* ı */, "abcdefghijkl", "abcdefghijklm", "##k",
};

std::string VocabText() {
  std::string text;
  for (const char* token : kTokens) text += std::string(token) + "\n";
  return text;
}

struct Tokenizers {
  std::vector<std::unique_ptr<BertTokenizer>> fast;
  std::vector<std::unique_ptr<BertTokenizer>> general;
  int32_t vocab_size = 0;

  void Add(BertTokenizer tokenizer) {
    fast.push_back(std::make_unique<BertTokenizer>(tokenizer));
    general.push_back(std::make_unique<BertTokenizer>(tokenizer));
    BertTokenizerTestPeer::SetGeneralPathOnly(general.back().get(), true);
  }
};

const Tokenizers& All() {
  static const Tokenizers* all = [] {
    auto* t = new Tokenizers;
    t->vocab_size = static_cast<int32_t>(Vocab::FromString(VocabText(), "fuzz").line_count());
    std::vector<BertTokenizerOptions> options(8);
    options[1].lowercase = false;
    options[2].strip_accents = false;
    options[3].clean_text = false;
    options[4].handle_chinese_chars = false;
    options[5].lowercase = false;
    options[5].strip_accents = true;
    options[6].max_input_chars_per_word = 5;
    options[7].match_special_tokens_in_text = false;
    options[7].continuing_subword_prefix = "";
    options[7].clean_text = false;
    options[7].lowercase = false;
    for (const auto& o : options) {
      t->Add(BertTokenizer::FromVocab(Vocab::FromString(VocabText(), "fuzz"), o));
    }
    return t;
  }();
  return *all;
}

enum class Kind { kOk, kInvalidText, kTooLong, kInvalidArgument };

struct Outcome {
  Kind kind = Kind::kOk;
  Encoding encoding;
};

// BertTokenizer and Tokenizer have the same Encode/EncodePair.
template <typename AnyTokenizer>
Outcome Run(const AnyTokenizer& tokenizer, bool pair, std::string_view a, std::string_view b,
            size_t max_length, Truncation truncation) {
  Outcome out;
  try {
    if (pair) {
      tokenizer.EncodePair(a, b, max_length, truncation, &out.encoding);
    } else {
      tokenizer.Encode(a, max_length, truncation, &out.encoding);
    }
  } catch (const InvalidTextError&) {
    out.kind = Kind::kInvalidText;
  } catch (const TextTooLongError&) {
    out.kind = Kind::kTooLong;
  } catch (const std::invalid_argument&) {
    out.kind = Kind::kInvalidArgument;
  }
  return out;
}

bool Same(const Outcome& x, const Outcome& y) {
  if (x.kind != y.kind) return false;
  if (x.kind != Kind::kOk) return true;
  return x.encoding.ids == y.encoding.ids && x.encoding.type_ids == y.encoding.type_ids &&
         x.encoding.attention_mask == y.encoding.attention_mask &&
         x.encoding.offsets == y.encoding.offsets;
}

void CheckEncoding(const BertTokenizer& tokenizer, int32_t vocab_size, const Encoding& e,
                   bool pair, std::string_view a, std::string_view b, size_t max_length) {
  const size_t n = e.ids.size();
  Check(e.type_ids.size() == n && e.attention_mask.size() == n && e.offsets.size() == n,
        "rows of one encoding differ in length");
  Check(n >= (pair ? 3u : 2u), "special tokens missing");
  Check(n <= max_length, "longer than max_length");
  Check(e.ids.front() == tokenizer.cls_id() && e.ids.back() == tokenizer.sep_id(),
        "not [CLS] ... [SEP]");
  uint32_t last_start[2] = {0, 0};
  for (size_t i = 0; i < n; ++i) {
    Check(e.ids[i] >= 0 && e.ids[i] < vocab_size, "id outside the vocab");
    Check(e.attention_mask[i] == 1, "mask not 1");
    const int32_t type = e.type_ids[i];
    Check(type == 0 || (pair && type == 1), "bad type id");
    const auto [start, end] = e.offsets[i];
    const size_t size = type == 0 ? a.size() : b.size();
    Check(start <= end && end <= size, "offsets outside the text");
    if (start == 0 && end == 0) continue;  // special tokens (and empty pieces)
    Check(start >= last_start[type], "offsets out of order");
    last_start[type] = start;
  }
}

// The fuzz input after its first byte (which picks the tokenizer): byte 1
// holds pair (bit 2) and truncation (bits 0-1), byte 2 max_length (0: none),
// byte 3 where the rest splits into a and b. Each text is a heap block of
// exactly its size: a std::string's inline buffer and spare capacity would
// hide reads past its end from ASan.
struct FuzzInput {
  bool pair;
  Truncation truncation;
  size_t max_length;
  std::unique_ptr<char[]> a_bytes, b_bytes;
  std::string_view a, b;

  FuzzInput(const uint8_t* data, size_t size)
      : pair((data[1] & 4) != 0),
        truncation(static_cast<Truncation>(data[1] & 3)),
        max_length(data[2] == 0 ? Tokenizer::kNoMaxLength : data[2]) {
    const std::string_view rest(reinterpret_cast<const char*>(data + 4), size - 4);
    const size_t split = pair ? rest.size() * data[3] / 255 : rest.size();
    a_bytes.reset(new char[split]);
    b_bytes.reset(new char[rest.size() - split]);
    std::memcpy(a_bytes.get(), rest.data(), split);
    std::memcpy(b_bytes.get(), rest.data() + split, rest.size() - split);
    a = std::string_view(a_bytes.get(), split);
    b = std::string_view(b_bytes.get(), rest.size() - split);
  }

  bool valid_utf8() const { return !FindInvalidUtf8(a) && (!pair || !FindInvalidUtf8(b)); }
};

void FuzzTokenizerJson(const uint8_t* data, size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  try {
    const BertTokenizer t = BertTokenizer::FromTokenizerJsonString(json, "fuzz.json");
    Encoding e;
    t.Encode("Hello, world! [SEP] \xE4\xB8\xAD", 64, Truncation::kLongestFirst, &e);
  } catch (const std::runtime_error&) {
    // Rejected with a message: fine.
  } catch (const std::invalid_argument&) {
  }
}

// --- FASTERBERT_FUZZ_TOKENIZER_JSON: one tokenizer of any family -------------

struct FamilyTokenizer {
  std::unique_ptr<Tokenizer> tokenizer;
  int32_t vocab_size = 0;  // one past the largest id of model.vocab and added_tokens
};

// nullptr when the variable is unset.
const FamilyTokenizer* Family() {
  static const FamilyTokenizer* family = []() -> const FamilyTokenizer* {
    const char* path = std::getenv("FASTERBERT_FUZZ_TOKENIZER_JSON");
    if (path == nullptr || *path == '\0') return nullptr;
    auto* f = new FamilyTokenizer;
    try {
      f->tokenizer = Tokenizer::FromTokenizerJson(path);
      std::string text;
      {
        std::FILE* file = std::fopen(path, "rb");
        Check(file != nullptr, "cannot open FASTERBERT_FUZZ_TOKENIZER_JSON");
        char buffer[1 << 16];
        size_t got;
        while ((got = std::fread(buffer, 1, sizeof buffer, file)) > 0) text.append(buffer, got);
        std::fclose(file);
      }
      // The id range from the file itself, not from the tokenizer under test:
      // BPE/WordPiece vocab {token: id}, Unigram vocab [[piece, score], ...].
      const JsonValue doc = ParseJson(text, path);
      int64_t top = -1;
      if (const JsonValue* model = doc.Find("model")) {
        if (const JsonValue* vocab = model->Find("vocab")) {
          if (vocab->is_array()) top = static_cast<int64_t>(vocab->array().size()) - 1;
          for (const auto& [token, id] : vocab->object()) top = std::max(top, id.integer());
        }
      }
      if (const JsonValue* added = doc.Find("added_tokens")) {
        for (const JsonValue& t : added->array()) {
          if (const JsonValue* id = t.Find("id")) top = std::max(top, id->integer());
        }
      }
      f->vocab_size = static_cast<int32_t>(top + 1);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "FASTERBERT_FUZZ_TOKENIZER_JSON=%s: %s\n", path, e.what());
      std::abort();
    }
    return f;
  }();
  return family;
}

// e[*pos, *pos + specials.size()) are exactly `specials`; advances *pos.
bool MatchSpecials(const Encoding& e, const SpecialTokens& specials, size_t* pos) {
  if (*pos + specials.size() > e.size()) return false;
  for (size_t i = 0; i < specials.size(); ++i, ++*pos) {
    if (e.ids[*pos] != specials.ids[i] || e.type_ids[*pos] != specials.type_ids[i] ||
        e.offsets[*pos] != std::pair<uint32_t, uint32_t>{0, 0}) {
      return false;
    }
  }
  return true;
}

// e[pos, pos + count) are the first `count` of `tokens`, with type_id.
bool MatchPrefix(const Encoding& e, size_t pos, size_t count, const std::vector<Token>& tokens,
                 int32_t type_id) {
  if (count > tokens.size() || pos + count > e.size()) return false;
  for (size_t i = 0; i < count; ++i) {
    if (e.ids[pos + i] != tokens[i].id || e.type_ids[pos + i] != type_id ||
        e.offsets[pos + i] != std::pair<uint32_t, uint32_t>{tokens[i].start, tokens[i].end}) {
      return false;
    }
  }
  return true;
}

// Offsets inside the text, starts never going back.
void CheckTokens(const std::vector<Token>& tokens, size_t count, std::string_view text) {
  uint32_t last_start = 0;
  for (size_t i = 0; i < count; ++i) {
    Check(tokens[i].start <= tokens[i].end && tokens[i].end <= text.size(),
          "offsets outside the text");
    Check(tokens[i].start >= last_start, "offsets out of order");
    last_start = tokens[i].start;
  }
}

void CheckFamilyEncoding(const FamilyTokenizer& family, const Encoding& e, bool pair,
                         std::string_view a, std::string_view b, size_t max_length) {
  const Tokenizer& tokenizer = *family.tokenizer;
  const size_t n = e.ids.size();
  Check(e.type_ids.size() == n && e.attention_mask.size() == n && e.offsets.size() == n,
        "rows of one encoding differ in length");
  Check(n <= max_length, "longer than max_length");
  for (size_t i = 0; i < n; ++i) {
    Check(e.ids[i] >= 0 && e.ids[i] < family.vocab_size, "id outside the vocab");
    Check(e.attention_mask[i] == 1, "mask not 1");
  }
  const SpecialTemplate& t = tokenizer.special_template();
  std::vector<Token> a_tokens, b_tokens;
  tokenizer.Tokenize(a, &a_tokens);
  CheckTokens(a_tokens, a_tokens.size(), a);
  size_t pos = 0;
  if (!pair) {
    Check(MatchSpecials(e, t.single_before, &pos), "leading special tokens differ from the template");
    Check(n >= pos + t.single_after.size(), "special tokens missing");
    const size_t count = n - pos - t.single_after.size();
    Check(MatchPrefix(e, pos, count, a_tokens, t.single_type_id),
          "tokens are not a prefix of Tokenize(text)");
    pos += count;
    Check(MatchSpecials(e, t.single_after, &pos), "trailing special tokens differ from the template");
    return;
  }
  tokenizer.Tokenize(b, &b_tokens);
  CheckTokens(b_tokens, b_tokens.size(), b);
  Check(MatchSpecials(e, t.pair_before, &pos), "leading special tokens differ from the template");
  const size_t fixed = t.pair_before.size() + t.pair_between.size() + t.pair_after.size();
  Check(n >= fixed, "special tokens missing");
  const size_t content = n - fixed;
  // Some split content = count_a + count_b must give specials + prefix of
  // Tokenize(a) + specials + prefix of Tokenize(b) + specials.
  bool found = false;
  for (size_t count_a = 0; count_a <= std::min(content, a_tokens.size()) && !found; ++count_a) {
    if (content - count_a > b_tokens.size()) continue;
    if (!MatchPrefix(e, pos, count_a, a_tokens, t.pair_a_type_id)) break;
    size_t p = pos + count_a;
    if (!MatchSpecials(e, t.pair_between, &p)) continue;
    const size_t count_b = content - count_a;
    if (!MatchPrefix(e, p, count_b, b_tokens, t.pair_b_type_id)) continue;
    p += count_b;
    found = MatchSpecials(e, t.pair_after, &p);
  }
  Check(found, "pair is not specials around prefixes of Tokenize(a) and Tokenize(b)");
}

void FuzzFamily(const FamilyTokenizer& family, const uint8_t* data, size_t size) {
  const Tokenizer& tokenizer = *family.tokenizer;
  const FuzzInput in(data, size);
  const bool pair = in.pair;
  const Outcome out = Run(tokenizer, pair, in.a, in.b, in.max_length, in.truncation);
  const bool valid = in.valid_utf8();
  const SpecialTemplate& t = tokenizer.special_template();
  const size_t specials = pair ? t.pair_before.size() + t.pair_between.size() + t.pair_after.size()
                               : t.single_before.size() + t.single_after.size();
  if (in.max_length < specials) {
    Check(out.kind == Kind::kInvalidArgument || (!valid && out.kind == Kind::kInvalidText),
          "max_length below the special tokens accepted");
  } else {
    Check((out.kind == Kind::kInvalidText) == !valid, "InvalidTextError iff invalid UTF-8");
  }
  if (out.kind == Kind::kOk) CheckFamilyEncoding(family, out.encoding, pair, in.a, in.b, in.max_length);
  const Outcome again = Run(tokenizer, pair, in.a, in.b, in.max_length, in.truncation);
  Check(Same(out, again), "not deterministic");
}

void FuzzAnyTokenizerJson(const uint8_t* data, size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  try {
    const std::unique_ptr<Tokenizer> t = Tokenizer::FromTokenizerJsonString(json, "fuzz.json");
    Encoding e;
    t->Encode("Hello, world! </s> \xE4\xB8\xAD \xE2\x96\x81x", 64, Truncation::kLongestFirst,
              &e);
  } catch (const std::runtime_error&) {
    // Rejected with a message: fine.
  } catch (const std::invalid_argument&) {
  }
}

}  // namespace
}  // namespace fasterbert::text

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fasterbert::text;
  if (size < 4) return 0;
  const FamilyTokenizer* family = Family();
  if (data[0] == 0xFF) {
    if (family != nullptr) {
      FuzzAnyTokenizerJson(data + 1, size - 1);
    } else {
      FuzzTokenizerJson(data + 1, size - 1);
    }
    return 0;
  }
  if (family != nullptr) {
    FuzzFamily(*family, data, size);
    return 0;
  }
  const Tokenizers& all = All();
  const size_t which = data[0] % all.fast.size();
  const FuzzInput in(data, size);
  const bool pair = in.pair;
  const std::string_view a = in.a, b = in.b;
  const size_t max_length = in.max_length;
  const Truncation truncation = in.truncation;

  const Outcome fast = Run(*all.fast[which], pair, a, b, max_length, truncation);
  const bool valid = in.valid_utf8();
  const size_t specials = pair ? 3 : 2;
  if (max_length < specials) {
    Check(fast.kind == Kind::kInvalidArgument, "max_length below the special tokens accepted");
  } else {
    Check((fast.kind == Kind::kInvalidText) == !valid, "InvalidTextError iff invalid UTF-8");
  }
  if (fast.kind == Kind::kOk) {
    CheckEncoding(*all.fast[which], all.vocab_size, fast.encoding, pair, a, b, max_length);
  }
  const Outcome general = Run(*all.general[which], pair, a, b, max_length, truncation);
  Check(Same(fast, general), "fast path and general path differ");
  const Outcome again = Run(*all.fast[which], pair, a, b, max_length, truncation);
  Check(Same(fast, again), "not deterministic");
  return 0;
}
