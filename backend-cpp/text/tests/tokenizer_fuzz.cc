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

Outcome Run(const BertTokenizer& tokenizer, bool pair, std::string_view a, std::string_view b,
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

}  // namespace
}  // namespace fasterbert::text

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fasterbert::text;
  if (size < 4) return 0;
  if (data[0] == 0xFF) {
    FuzzTokenizerJson(data + 1, size - 1);
    return 0;
  }
  const Tokenizers& all = All();
  const size_t which = data[0] % all.fast.size();
  const bool pair = (data[1] & 4) != 0;
  const Truncation truncation = static_cast<Truncation>(data[1] & 3);
  const size_t max_length = data[2] == 0 ? BertTokenizer::kNoMaxLength : data[2];
  const std::string_view rest(reinterpret_cast<const char*>(data + 4), size - 4);
  const size_t split = pair ? rest.size() * data[3] / 255 : rest.size();
  // Each text in a heap block of exactly its size: a std::string's inline
  // buffer and spare capacity would hide reads past its end from ASan.
  const std::unique_ptr<char[]> a_bytes(new char[split]), b_bytes(new char[rest.size() - split]);
  std::memcpy(a_bytes.get(), rest.data(), split);
  std::memcpy(b_bytes.get(), rest.data() + split, rest.size() - split);
  const std::string_view a(a_bytes.get(), split), b(b_bytes.get(), rest.size() - split);

  const Outcome fast = Run(*all.fast[which], pair, a, b, max_length, truncation);
  const bool valid = !FindInvalidUtf8(a) && (!pair || !FindInvalidUtf8(b));
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
