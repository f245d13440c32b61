#include "text/normalized_string.h"

#include <stdexcept>

#include "text/utf8.h"

namespace fasterbert::text {

NormalizedString::NormalizedString(std::string_view text, uint32_t shift)
    : normalized_(text), shift_(shift) {
  alignments_.resize(text.size());
  for (size_t i = 0; i < text.size();) {
    char32_t cp;
    const size_t n = DecodeUtf8(text, i, &cp);
    for (size_t k = 0; k < n; ++k) {
      alignments_[i + k] = {static_cast<uint32_t>(i), static_cast<uint32_t>(i + n)};
    }
    i += n;
  }
}

void NormalizedString::TransformRange(size_t begin, size_t end, const std::vector<Change>& dest,
                                      size_t initial_offset) {
  // The original chars of the range, consumed as dest replaces or removes them.
  size_t next = begin;  // byte of the next original char not yet consumed
  auto take_char = [&]() -> size_t {
    if (next >= end) return 0;
    char32_t cp;
    const size_t n = DecodeUtf8(normalized_, next, &cp);
    next += n;
    return n;
  };
  for (size_t i = 0; i < initial_offset; ++i) take_char();
  size_t offset = next;  // HF's `offset`: where the next replaced char starts
  std::string out;
  std::vector<Alignment> out_alignments;
  out.reserve(end - begin);
  out_alignments.reserve(end - begin);
  for (const Change& change : dest) {
    Alignment align;
    if (change.change > 0) {
      align = offset < 1 ? Alignment{0, 0} : alignments_[offset - 1];
    } else {
      if (offset >= alignments_.size()) throw std::logic_error("NormalizedString: bad transform");
      align = alignments_[offset];
    }
    size_t consumed = 0;
    if (change.change <= 0) consumed += take_char();
    for (int32_t k = 0; k < -change.change; ++k) consumed += take_char();
    offset += consumed;
    const size_t before = out.size();
    AppendUtf8(change.c, &out);
    out_alignments.insert(out_alignments.end(), out.size() - before, align);
  }
  normalized_.replace(begin, end - begin, out);
  alignments_.erase(alignments_.begin() + begin, alignments_.begin() + end);
  alignments_.insert(alignments_.begin() + begin, out_alignments.begin(), out_alignments.end());
}

void NormalizedString::Prepend(std::string_view s) {
  if (normalized_.empty() || s.empty()) return;
  char32_t first;
  const size_t first_len = DecodeUtf8(normalized_, 0, &first);
  std::vector<Change> dest;
  for (size_t i = 0; i < s.size();) {
    char32_t cp;
    const size_t n = DecodeUtf8(s, i, &cp);
    dest.push_back({cp, i == 0 ? 0 : 1});
    i += n;
  }
  dest.push_back({first, 1});
  TransformRange(0, first_len, dest, 0);
}

void NormalizedString::Append(std::string_view s) {
  if (normalized_.empty() || s.empty()) return;
  size_t last = normalized_.size() - 1;
  while ((static_cast<uint8_t>(normalized_[last]) & 0xC0) == 0x80) --last;
  char32_t cp;
  DecodeUtf8(normalized_, last, &cp);
  std::vector<Change> dest{{cp, 0}};
  for (size_t i = 0; i < s.size();) {
    char32_t c;
    i += DecodeUtf8(s, i, &c);
    dest.push_back({c, 1});
  }
  TransformRange(last, normalized_.size(), dest, 0);
}

void NormalizedString::ReplaceAll(std::string_view pattern, std::string_view content) {
  if (pattern.empty()) return;
  std::vector<Change> dest;
  for (size_t i = 0; i < content.size();) {
    char32_t c;
    i += DecodeUtf8(content, i, &c);
    dest.push_back({c, 1});
  }
  size_t removed_chars = 0;
  for (size_t i = 0; i < pattern.size();) {
    char32_t c;
    i += DecodeUtf8(pattern, i, &c);
    ++removed_chars;
  }
  size_t from = 0;
  for (;;) {
    const size_t at = normalized_.find(pattern, from);
    if (at == std::string::npos) break;
    const size_t old_size = normalized_.size();
    TransformRange(at, at + pattern.size(), dest, removed_chars);
    from = at + pattern.size() + normalized_.size() - old_size;
  }
}

NormalizedString NormalizedString::Slice(size_t begin, size_t end) const {
  NormalizedString piece;
  const uint32_t start = alignments_[begin].first;
  piece.normalized_ = normalized_.substr(begin, end - begin);
  piece.alignments_.assign(alignments_.begin() + begin, alignments_.begin() + end);
  for (Alignment& a : piece.alignments_) {
    a.first -= start;
    a.second -= start;
  }
  piece.shift_ = shift_ + start;
  return piece;
}

}  // namespace fasterbert::text
