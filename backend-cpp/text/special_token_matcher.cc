#include "text/special_token_matcher.h"

#include <algorithm>

namespace fasterbert::text {

SpecialTokenMatcher::SpecialTokenMatcher(std::vector<std::pair<std::string, int32_t>> tokens) {
  for (auto& token : tokens) {
    if (token.first.empty()) continue;
    first_bytes_.set(static_cast<unsigned char>(token.first[0]));
    tokens_.push_back(std::move(token));
  }
  // Longest first, so the first match at a position is the longest one.
  std::stable_sort(tokens_.begin(), tokens_.end(),
                   [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
}

void SpecialTokenMatcher::Split(std::string_view text, std::vector<Segment>* out) const {
  out->clear();
  const auto n = static_cast<uint32_t>(text.size());
  uint32_t text_begin = 0;
  if (!tokens_.empty()) {
    for (uint32_t i = 0; i < n;) {
      if (!first_bytes_.test(static_cast<unsigned char>(text[i]))) {
        ++i;
        continue;
      }
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
