#include "text/wordpiece.h"

#include <algorithm>

#include "text/utf8.h"

namespace fasterbert::text {

WordPiece::WordPiece(std::shared_ptr<const Vocab> vocab, int32_t unk_id,
                     const std::string& continuing_subword_prefix,
                     size_t max_input_chars_per_word)
    : vocab_(std::move(vocab)),
      unk_id_(unk_id),
      max_input_chars_per_word_(max_input_chars_per_word) {
  const std::string_view prefix(continuing_subword_prefix);
  for (const auto& [token, id] : vocab_->ids()) {
    longest_token_ = std::max(longest_token_, token.size());
    if (token.substr(0, prefix.size()) == prefix) {
      const std::string_view rest = token.substr(prefix.size());
      continuation_.emplace(rest, id);
      longest_continuation_ = std::max(longest_continuation_, rest.size());
    }
  }
}

size_t WordPiece::LongestMatch(const Map& map, size_t longest_key, const WordPieceScratch& s,
                               size_t first, size_t count, int32_t* id) const {
  const uint32_t base = s.char_start[first];
  // Start from the longest candidate that could be a key, then shrink one
  // char at a time as HF does; skipping longer candidates changes nothing.
  size_t last = count;
  while (last > first && s.char_start[last] - base > longest_key) --last;
  for (; last > first; --last) {
    const std::string_view piece(s.bytes.data() + base, s.char_start[last] - base);
    const auto it = map.find(piece);
    if (it != map.end()) {
      *id = it->second;
      return last;
    }
  }
  return 0;
}

void WordPiece::Tokenize(const NormalizedChar* chars, size_t count, WordPieceScratch* scratch,
                         std::vector<Token>* out) const {
  if (count == 0) return;
  if (count > max_input_chars_per_word_) {
    out->push_back({unk_id_, chars[0].start, chars[count - 1].end});
    return;
  }
  scratch->bytes.clear();
  scratch->char_start.clear();
  for (size_t i = 0; i < count; ++i) {
    scratch->char_start.push_back(static_cast<uint32_t>(scratch->bytes.size()));
    AppendUtf8(chars[i].cp, &scratch->bytes);
  }
  scratch->char_start.push_back(static_cast<uint32_t>(scratch->bytes.size()));

  const size_t mark = out->size();
  size_t first = 0;
  while (first < count) {
    int32_t id = 0;
    const size_t last = first == 0
        ? LongestMatch(vocab_->ids(), longest_token_, *scratch, first, count, &id)
        : LongestMatch(continuation_, longest_continuation_, *scratch, first, count, &id);
    if (last == 0) {
      // One unmatched piece makes the whole word unknown.
      out->resize(mark);
      out->push_back({unk_id_, chars[0].start, chars[count - 1].end});
      return;
    }
    out->push_back({id, chars[first].start, chars[last - 1].end});
    first = last;
  }
}

}  // namespace fasterbert::text
