// UTF-8 validation, decoding and encoding. Validation is strict (RFC 3629):
// no overlong forms, no surrogates, nothing above U+10FFFF, no truncated
// sequences. The decoder assumes text that has passed validation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fasterbert::text {

// Byte offset of the first ill-formed sequence, or nullopt if `text` is valid.
std::optional<size_t> FindInvalidUtf8(std::string_view text);

// Decodes the code point starting at p (or text[pos]) of already-validated
// text and returns its length in bytes (1..4).
inline int DecodeUtf8(const unsigned char* p, char32_t* cp) {
  const unsigned char b0 = p[0];
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  }
  if (b0 < 0xE0) {
    *cp = (char32_t{b0 & 0x1Fu} << 6) | (p[1] & 0x3Fu);
    return 2;
  }
  if (b0 < 0xF0) {
    *cp = (char32_t{b0 & 0x0Fu} << 12) | (char32_t{p[1] & 0x3Fu} << 6) | (p[2] & 0x3Fu);
    return 3;
  }
  *cp = (char32_t{b0 & 0x07u} << 18) | (char32_t{p[1] & 0x3Fu} << 12) |
        (char32_t{p[2] & 0x3Fu} << 6) | (p[3] & 0x3Fu);
  return 4;
}
inline int DecodeUtf8(std::string_view text, size_t pos, char32_t* cp) {
  return DecodeUtf8(reinterpret_cast<const unsigned char*>(text.data()) + pos, cp);
}

// Every code point of valid UTF-8 text, in order.
inline std::vector<char32_t> DecodeUtf8All(std::string_view text) {
  std::vector<char32_t> chars;
  for (size_t i = 0; i < text.size();) {
    char32_t c;
    i += static_cast<size_t>(DecodeUtf8(text, i, &c));
    chars.push_back(c);
  }
  return chars;
}

// Decodes and validates (as FindInvalidUtf8 does) the sequence at p, of
// which `available` bytes may be read (at least 1). Returns its length, or 0
// when it is ill-formed or truncated.
inline int DecodeUtf8Checked(const unsigned char* p, size_t available, char32_t* cp) {
  const unsigned char b0 = p[0];
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  }
  auto continuation = [](unsigned char b) { return (b & 0xC0) == 0x80; };
  if (b0 >= 0xE0 && b0 < 0xF0) {  // most CJK: checked through the code point
    if (available < 3) return 0;
    const unsigned char b1 = p[1], b2 = p[2];
    const char32_t c = (char32_t{b0 & 0x0Fu} << 12) | (char32_t{b1 & 0x3Fu} << 6) | (b2 & 0x3Fu);
    // Both continuation bytes, not overlong (>= U+0800), not a surrogate.
    if (((b1 & 0xC0) ^ 0x80) | ((b2 & 0xC0) ^ 0x80) || c < 0x800 || (c & 0xF800) == 0xD800) return 0;
    *cp = c;
    return 3;
  }
  if (b0 < 0xC2) return 0;  // a continuation byte, or an overlong lead
  if (b0 < 0xE0) {
    if (available < 2 || !continuation(p[1])) return 0;
    *cp = (char32_t{b0 & 0x1Fu} << 6) | (p[1] & 0x3Fu);
    return 2;
  }
  if (b0 >= 0xF0 && b0 < 0xF5) {
    if (available < 4 || !continuation(p[2]) || !continuation(p[3])) return 0;
    // F0 needs 90..BF (no overlongs), F4 80..8F (nothing above U+10FFFF).
    const unsigned char lo = b0 == 0xF0 ? 0x90 : 0x80, hi = b0 == 0xF4 ? 0x8F : 0xBF;
    if (p[1] < lo || p[1] > hi) return 0;
    *cp = (char32_t{b0 & 0x07u} << 18) | (char32_t{p[1] & 0x3Fu} << 12) |
          (char32_t{p[2] & 0x3Fu} << 6) | (p[3] & 0x3Fu);
    return 4;
  }
  return 0;
}

// Length of the sequence a valid UTF-8 lead byte starts (1..4).
inline size_t Utf8SequenceLength(unsigned char lead) {
  return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

// Number of bytes UTF-8 needs for a valid code point.
inline int Utf8Length(char32_t cp) {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

// Appends the UTF-8 encoding of a valid code point.
inline void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace fasterbert::text
