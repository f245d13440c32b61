#include "text/special_token_matcher.h"

#include <algorithm>
#include <cstring>

namespace fasterbert::text {

SpecialTokenMatcher::SpecialTokenMatcher(std::vector<std::pair<std::string, int32_t>> tokens) {
  for (auto& token : tokens) {
    if (token.first.empty()) continue;
    first_bytes_[static_cast<unsigned char>(token.first[0])] = true;
    tokens_.push_back(std::move(token));
  }
  int shared = -1;  // -1: none seen yet, -2: more than one
  for (const auto& token : tokens_) {
    const int first = static_cast<unsigned char>(token.first[0]);
    if (shared == -1) {
      shared = first;
    } else if (shared != first) {
      shared = -2;
    }
  }
  only_first_byte_ = shared >= 0 ? shared : -1;
  // Longest first, so the first match at a position is the longest one.
  std::stable_sort(tokens_.begin(), tokens_.end(),
                   [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
}

size_t SpecialTokenMatcher::FindCandidate(std::string_view text, size_t from) const {
  if (only_first_byte_ >= 0) {
    // Usually "[": memchr skips the text between brackets fast.
    const void* hit = std::memchr(text.data() + from, only_first_byte_, text.size() - from);
    return hit ? static_cast<size_t>(static_cast<const char*>(hit) - text.data()) : text.size();
  }
  while (from < text.size() && !first_bytes_[static_cast<unsigned char>(text[from])]) ++from;
  return from;
}

void SpecialTokenMatcher::Split(std::string_view text, std::vector<Segment>* out) const {
  out->clear();
  const auto n = static_cast<uint32_t>(text.size());
  uint32_t text_begin = 0;
  if (!tokens_.empty()) {
    for (uint32_t i = 0; (i = static_cast<uint32_t>(FindCandidate(text, i))) < n;) {
      const std::pair<std::string, int32_t>* match = nullptr;
      for (const auto& token : tokens_) {
        if (text.compare(i, token.first.size(), token.first) == 0) {
          match = &token;
          break;
        }
      }
      if (match == nullptr) {
        ++i;
        continue;
      }
      if (text_begin < i) out->push_back({text_begin, i, kText});
      const auto end = static_cast<uint32_t>(i + match->first.size());
      out->push_back({i, end, match->second});
      i = text_begin = end;
    }
  }
  if (text_begin < n) out->push_back({text_begin, n, kText});
}

}  // namespace fasterbert::text
