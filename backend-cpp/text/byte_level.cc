#include "text/byte_level.h"

#include <algorithm>
#include <array>

#include "text/gpt2_split_data.h"
#include "text/unicode_properties.h"
#include "text/utf8.h"

namespace fasterbert::text {
namespace {

using gpt2_split_data::CharClass;

// Bytes that GPT-2 keeps as their own Latin-1 char.
constexpr bool IsPrintableByte(int byte) {
  return (byte >= 0x21 && byte <= 0x7E) || (byte >= 0xA1 && byte <= 0xAC) || byte >= 0xAE;
}

// The chars past U+00FF run from U+0100 to U+0143 (68 bytes need them).
constexpr uint32_t kCharLimit = 0x144;

struct Alphabet {
  std::array<uint32_t, 256> char_of_byte{};
  std::array<int16_t, kCharLimit> byte_of_char{};  // -1: no byte
  Alphabet() {
    byte_of_char.fill(-1);
    uint32_t next = 0x100;
    for (int byte = 0; byte < 256; ++byte) {
      char_of_byte[byte] = IsPrintableByte(byte) ? static_cast<uint32_t>(byte) : next++;
      byte_of_char[char_of_byte[byte]] = static_cast<int16_t>(byte);
    }
  }
};

const Alphabet& TheAlphabet() {
  static const Alphabet alphabet;
  return alphabet;
}

CharClass ClassOf(char32_t cp) {
  if (cp < 0x80) {  // ASCII, the common case, without the search
    if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z')) return gpt2_split_data::kLetter;
    if (cp >= '0' && cp <= '9') return gpt2_split_data::kNumber;
    if (cp == ' ' || (cp >= 0x09 && cp <= 0x0D)) return gpt2_split_data::kSpace;
    return gpt2_split_data::kOther;
  }
  const auto* begin = gpt2_split_data::kRanges;
  const auto* end = begin + gpt2_split_data::kRangeCount;
  const auto* it = std::upper_bound(begin, end, cp, [](char32_t c, const gpt2_split_data::CharRange& r) {
    return c < r.first;
  });
  if (it == begin) return gpt2_split_data::kOther;
  --it;
  return cp <= it->last ? static_cast<CharClass>(it->char_class) : gpt2_split_data::kOther;
}

// The text decoded once: each char's class and byte offset.
struct Char {
  uint32_t start;
  CharClass char_class;
  char32_t cp;
};

}  // namespace

uint32_t ByteLevelChar(uint8_t byte) { return TheAlphabet().char_of_byte[byte]; }

std::optional<uint8_t> ByteLevelByte(uint32_t cp) {
  if (cp >= kCharLimit) return std::nullopt;
  const int16_t byte = TheAlphabet().byte_of_char[cp];
  if (byte < 0) return std::nullopt;
  return static_cast<uint8_t>(byte);
}

void SplitGpt2(std::string_view text, std::vector<std::pair<uint32_t, uint32_t>>* ranges) {
  thread_local std::vector<Char> chars;
  chars.clear();
  for (size_t pos = 0; pos < text.size();) {
    char32_t cp;
    const int len = DecodeUtf8(text, pos, &cp);
    chars.push_back({static_cast<uint32_t>(pos), ClassOf(cp), cp});
    pos += static_cast<size_t>(len);
  }
  const size_t n = chars.size();
  auto start_of = [&](size_t i) { return i < n ? chars[i].start : static_cast<uint32_t>(text.size()); };
  auto cp_at = [&](size_t i) -> char32_t { return i < n ? chars[i].cp : 0; };
  // End of the run of `cls` chars starting at i.
  auto run_end = [&](size_t i, CharClass cls) {
    while (i < n && chars[i].char_class == cls) ++i;
    return i;
  };

  size_t i = 0;
  while (i < n) {
    const Char& c = chars[i];
    size_t end = i;
    // 's|'t|'re|'ve|'m|'ll|'d
    if (c.cp == '\'') {
      const char32_t a = cp_at(i + 1), b = cp_at(i + 2);
      if (a == 's' || a == 't' || a == 'm' || a == 'd') {
        end = i + 2;
      } else if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) {
        end = i + 3;
      }
    }
    if (end == i) {
      // ' ?X+' for X = letters, numbers, then others (not space/L/N).
      const size_t body = (c.cp == ' ' && i + 1 < n && chars[i + 1].char_class != gpt2_split_data::kSpace)
                              ? i + 1
                              : i;
      if (chars[body].char_class != gpt2_split_data::kSpace) {
        end = run_end(body, chars[body].char_class);
      } else {
        // \s+(?!\S): the whole run if it ends the text, else all but its
        // last char (which is then followed by a space); a lone space
        // before a non-space falls through to \s+.
        const size_t run = run_end(i, gpt2_split_data::kSpace);
        end = (run == n || run - i == 1) ? run : run - 1;
      }
    }
    ranges->emplace_back(start_of(i), start_of(end));
    i = end;
  }
}

namespace {

// Space-like chars at the start (or end) of a token's text.
uint32_t SpaceRun(const std::string& token, bool from_end) {
  const std::vector<char32_t> chars = DecodeUtf8All(token);
  uint32_t count = 0;
  for (size_t k = 0; k < chars.size(); ++k) {
    const char32_t c = chars[from_end ? chars.size() - 1 - k : k];
    if (c != 0x120 && !IsWhiteSpace(c)) break;
    ++count;
  }
  return count;
}

}  // namespace

ByteLevelOffsetTrim::ByteLevelOffsetTrim(const std::vector<std::string>& token_strings,
                                         bool add_prefix_space)
    : space_runs_(token_strings.size()), add_prefix_space_(add_prefix_space) {
  for (size_t id = 0; id < token_strings.size(); ++id) {
    space_runs_[id] = {SpaceRun(token_strings[id], false), SpaceRun(token_strings[id], true)};
  }
}

// HF trims in chars (its Python API post-processes char offsets), so the
// byte offsets move by whole chars of the text.
void ByteLevelOffsetTrim::Apply(std::string_view text, std::vector<Token>* tokens) const {
  auto is_continuation = [&](size_t i) { return (static_cast<uint8_t>(text[i]) & 0xC0) == 0x80; };
  for (size_t i = 0; i < tokens->size(); ++i) {
    Token& t = (*tokens)[i];
    if (t.id < 0 || static_cast<size_t>(t.id) >= space_runs_.size()) continue;
    size_t leading = space_runs_[t.id].first;
    const size_t trailing = space_runs_[t.id].second;
    if (leading > 0) {
      const bool is_first = i == 0 || t.start == 0;
      if (is_first && add_prefix_space_ && leading == 1) leading = 0;
      size_t start = t.start;
      for (size_t k = 0; k < leading && start < t.end; ++k) {
        ++start;
        while (start < t.end && is_continuation(start)) ++start;
      }
      t.start = static_cast<uint32_t>(start);
    }
    if (trailing > 0) {
      size_t end = t.end, k = 0;
      for (; k < trailing && end > 0; ++k) {
        --end;
        while (end > 0 && is_continuation(end)) --end;
      }
      if (k == trailing) t.end = static_cast<uint32_t>(std::max<size_t>(end, t.start));
    }
  }
}

}  // namespace fasterbert::text
