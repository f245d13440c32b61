#include "text/added_token_matcher.h"

#include <algorithm>
#include <cstring>

#include "text/unicode_properties.h"
#include "text/utf8.h"

namespace fasterbert::text {

AddedTokenMatcher::AddedTokenMatcher(std::vector<Token> tokens) {
  for (Token& token : tokens) {
    if (token.content.empty()) continue;
    first_bytes_[static_cast<unsigned char>(token.content[0])] = true;
    tokens_.push_back(std::move(token));
  }
  int shared = -1;  // -1: none seen yet, -2: more than one
  for (const Token& token : tokens_) {
    const int first = static_cast<unsigned char>(token.content[0]);
    if (shared == -1) {
      shared = first;
    } else if (shared != first) {
      shared = -2;
    }
  }
  only_first_byte_ = shared >= 0 ? shared : -1;
  // Longest first, so the first match at a position is the longest one.
  std::stable_sort(tokens_.begin(), tokens_.end(), [](const Token& a, const Token& b) {
    return a.content.size() > b.content.size();
  });
}

size_t AddedTokenMatcher::FindCandidate(std::string_view text, size_t from) const {
  if (only_first_byte_ >= 0) {
    // Usually "[" or "<": memchr skips the text between them fast.
    const void* hit = std::memchr(text.data() + from, only_first_byte_, text.size() - from);
    return hit ? static_cast<size_t>(static_cast<const char*>(hit) - text.data()) : text.size();
  }
  while (from < text.size() && !first_bytes_[static_cast<unsigned char>(text[from])]) ++from;
  return from;
}

void AddedTokenMatcher::Split(std::string_view text, std::vector<Segment>* out) const {
  out->clear();
  const auto n = static_cast<uint32_t>(text.size());
  uint32_t text_begin = 0;
  if (!tokens_.empty()) {
    for (uint32_t i = 0; (i = static_cast<uint32_t>(FindCandidate(text, i))) < n;) {
      const Token* match = nullptr;
      for (const Token& token : tokens_) {
        if (text.compare(i, token.content.size(), token.content) == 0) {
          match = &token;
          break;
        }
      }
      if (match == nullptr) {
        ++i;
        continue;
      }
      uint32_t begin = i;
      auto end = static_cast<uint32_t>(i + match->content.size());
      // The strips take only well-formed whitespace chars: the BERT path
      // checks UTF-8 as it tokenizes text segments, so an ill-formed byte
      // taken into a match would go unreported.
      const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
      if (match->lstrip) {
        // Back over whitespace chars, not into what an earlier match took.
        while (begin > text_begin) {
          size_t prev = begin - 1;
          while (prev > text_begin && (bytes[prev] & 0xC0) == 0x80) --prev;
          char32_t c = 0;
          const int length = DecodeUtf8Checked(bytes + prev, begin - prev, &c);
          if (length != static_cast<int>(begin - prev) || !IsWhiteSpace(c)) break;
          begin = static_cast<uint32_t>(prev);
        }
      }
      if (match->rstrip) {
        while (end < n) {
          char32_t c = 0;
          const int length = DecodeUtf8Checked(bytes + end, n - end, &c);
          if (length == 0 || !IsWhiteSpace(c)) break;
          end += static_cast<uint32_t>(length);
        }
      }
      if (text_begin < begin) out->push_back({text_begin, begin, kText});
      out->push_back({begin, end, match->id});
      i = text_begin = end;
    }
  }
  if (text_begin < n) out->push_back({text_begin, n, kText});
}

}  // namespace fasterbert::text
