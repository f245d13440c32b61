// Substring search for the short needles of normalizers and pre-tokenizers
// (" ", "▁"): memchr for the first byte, the rest compared inline. The
// standard find calls memcmp per candidate, which showed in profiles of
// texts with a space every few bytes.
#pragma once

#include <cstddef>
#include <cstring>
#include <string_view>

namespace fasterbert::text {

// Whether text[at..] starts with `needle`.
inline bool BytesAt(std::string_view text, size_t at, std::string_view needle) {
  if (at > text.size() || text.size() - at < needle.size()) return false;
  for (size_t k = 0; k < needle.size(); ++k) {
    if (text[at + k] != needle[k]) return false;
  }
  return true;
}

// First occurrence of `needle` (not empty) in text at or after `from`, or npos.
inline size_t FindBytes(std::string_view text, std::string_view needle, size_t from) {
  const size_t n = needle.size();
  while (from + n <= text.size()) {
    const void* hit = std::memchr(text.data() + from, needle[0], text.size() - n + 1 - from);
    if (hit == nullptr) break;
    const size_t at = static_cast<size_t>(static_cast<const char*>(hit) - text.data());
    if (BytesAt(text, at, needle)) return at;
    from = at + 1;
  }
  return std::string_view::npos;
}

}  // namespace fasterbert::text
