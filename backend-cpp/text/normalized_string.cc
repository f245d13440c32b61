#include "text/normalized_string.h"

#include <algorithm>
#include <stdexcept>

#include "text/byte_search.h"
#include "text/utf8.h"

namespace fasterbert::text {

NormalizedString::NormalizedString(std::string_view text, uint32_t shift) { Assign(text, shift); }

void NormalizedString::Assign(std::string_view text, uint32_t shift) {
  normalized_.assign(text.data(), text.size());
  shift_ = shift;
  alignments_.resize(text.size());
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  for (size_t i = 0; i < text.size();) {
    if (bytes[i] < 0x80) {  // ASCII, most of most texts: no decoding
      alignments_[i] = {static_cast<uint32_t>(i), static_cast<uint32_t>(i + 1)};
      ++i;
      continue;
    }
    const size_t n = Utf8SequenceLength(bytes[i]);
    for (size_t k = 0; k < n; ++k) {
      alignments_[i + k] = {static_cast<uint32_t>(i), static_cast<uint32_t>(i + n)};
    }
    i += n;
  }
}

void NormalizedString::AppendTransformed(size_t begin, size_t end, const Change* dest,
                                         size_t dest_size, size_t initial_offset,
                                         std::string* out,
                                         std::vector<Alignment>* out_alignments) const {
  // The original chars of the range, consumed as dest replaces or removes them.
  size_t next = begin;  // byte of the next original char not yet consumed
  auto take_char = [&]() -> size_t {
    if (next >= end) return 0;
    const size_t n = Utf8SequenceLength(static_cast<unsigned char>(normalized_[next]));
    next += n;
    return n;
  };
  for (size_t i = 0; i < initial_offset; ++i) take_char();
  size_t offset = next;  // HF's `offset`: where the next replaced char starts
  for (size_t k = 0; k < dest_size; ++k) {
    const Change& change = dest[k];
    Alignment align;
    if (change.change > 0) {
      align = offset < 1 ? Alignment{0, 0} : alignments_[offset - 1];
    } else {
      if (offset >= alignments_.size()) throw std::logic_error("NormalizedString: bad transform");
      align = alignments_[offset];
    }
    size_t consumed = 0;
    if (change.change <= 0) consumed += take_char();
    for (int32_t r = 0; r < -change.change; ++r) consumed += take_char();
    offset += consumed;
    const size_t before = out->size();
    AppendUtf8(change.c, out);
    out_alignments->insert(out_alignments->end(), out->size() - before, align);
  }
}

void NormalizedString::TransformRange(size_t begin, size_t end, const std::vector<Change>& dest,
                                      size_t initial_offset) {
  std::string out;
  std::vector<Alignment> out_alignments;
  out.reserve(end - begin);
  out_alignments.reserve(end - begin);
  AppendTransformed(begin, end, dest.data(), dest.size(), initial_offset, &out, &out_alignments);
  normalized_.replace(begin, end - begin, out);
  alignments_.erase(alignments_.begin() + begin, alignments_.begin() + end);
  alignments_.insert(alignments_.begin() + begin, out_alignments.begin(), out_alignments.end());
}

namespace {

// Where TransformRanges and ReplaceRanges write; swapped with the string's
// own buffers after, so the next call reuses them instead of allocating.
struct Scratch {
  std::string text;
  std::vector<NormalizedString::Alignment> alignments;
};
Scratch& ThreadScratch() {
  thread_local Scratch scratch;
  return scratch;
}

}  // namespace

void NormalizedString::TransformRanges(const std::vector<Edit>& edits,
                                       const std::vector<Change>& changes) {
  if (edits.empty()) return;
  Scratch& scratch = ThreadScratch();
  std::string& out = scratch.text;
  std::vector<Alignment>& out_alignments = scratch.alignments;
  out.clear();
  out_alignments.clear();
  out.reserve(normalized_.size() + normalized_.size() / 4);
  out_alignments.reserve(out.capacity());
  size_t copied = 0;  // normalized bytes before this are in out
  for (const Edit& edit : edits) {
    out.append(normalized_, copied, edit.begin - copied);
    out_alignments.insert(out_alignments.end(), alignments_.begin() + copied,
                          alignments_.begin() + edit.begin);
    AppendTransformed(edit.begin, edit.end, changes.data() + edit.first_change,
                      edit.last_change - edit.first_change, edit.initial_offset, &out,
                      &out_alignments);
    copied = edit.end;
  }
  out.append(normalized_, copied, std::string::npos);
  out_alignments.insert(out_alignments.end(), alignments_.begin() + copied, alignments_.end());
  normalized_.swap(out);
  alignments_.swap(out_alignments);
}

void NormalizedString::ReplaceRanges(const std::vector<std::pair<size_t, size_t>>& ranges,
                                     std::string_view content) {
  if (ranges.empty()) return;
  // Sized first, then written through pointers: Metaspace calls this with
  // every space of a text, and a vector insert per space showed in profiles.
  size_t size = normalized_.size();
  for (const auto& [begin, end] : ranges) size = size - (end - begin) + content.size();
  Scratch& scratch = ThreadScratch();
  std::string& out = scratch.text;
  std::vector<Alignment>& out_alignments = scratch.alignments;
  out.resize(size);
  out_alignments.resize(size);
  char* text_at = out.data();
  Alignment* alignment_at = out_alignments.data();
  size_t copied = 0;  // normalized bytes before this are in out
  auto copy_to = [&](size_t stop) {
    text_at = std::copy(normalized_.data() + copied, normalized_.data() + stop, text_at);
    alignment_at = std::copy(alignments_.data() + copied, alignments_.data() + stop, alignment_at);
  };
  for (const auto& [begin, end] : ranges) {
    copy_to(begin);
    text_at = std::copy(content.begin(), content.end(), text_at);
    alignment_at = std::fill_n(alignment_at, content.size(), alignments_[end - 1]);
    copied = end;
  }
  copy_to(normalized_.size());
  normalized_.swap(out);
  alignments_.swap(out_alignments);
}

void NormalizedString::ReplaceBytes(const std::string (&table)[256],
                                    std::vector<uint32_t>* positions) {
  // Sized first, then written in place: this runs on every byte of a text.
  size_t size = 0;
  for (const char c : normalized_) size += table[static_cast<uint8_t>(c)].size();
  std::string out(size, '\0');
  std::vector<Alignment> out_alignments(size);
  if (positions != nullptr) positions->resize(normalized_.size() + 1);
  size_t at = 0;
  for (size_t i = 0; i < normalized_.size(); ++i) {
    if (positions != nullptr) (*positions)[i] = static_cast<uint32_t>(at);
    const std::string& to = table[static_cast<uint8_t>(normalized_[i])];
    for (size_t k = 0; k < to.size(); ++k, ++at) {
      out[at] = to[k];
      out_alignments[at] = alignments_[i];
    }
  }
  if (positions != nullptr) (*positions)[normalized_.size()] = static_cast<uint32_t>(at);
  normalized_.swap(out);
  alignments_.swap(out_alignments);
}

void NormalizedString::Prepend(std::string_view s) {
  if (normalized_.empty() || s.empty()) return;
  // HF's: s's first char replaces the first char, s's other chars and then
  // the first char itself are inserted after it. So s's first char takes
  // the first byte's alignment, and every byte after it up to the end of
  // the old first char takes the alignment of that char's last byte.
  // Written directly: Metaspace prepends to every text, and TransformRange
  // allocated and shifted the whole string for it.
  const size_t first_len = Utf8SequenceLength(static_cast<unsigned char>(normalized_[0]));
  const size_t s_first_len = Utf8SequenceLength(static_cast<unsigned char>(s[0]));
  const Alignment first = alignments_[0], last = alignments_[first_len - 1];
  Scratch& scratch = ThreadScratch();
  std::string& out = scratch.text;
  std::vector<Alignment>& out_alignments = scratch.alignments;
  out.assign(s.data(), s.size());
  out.append(normalized_);
  out_alignments.resize(out.size());
  std::fill_n(out_alignments.begin(), s_first_len, first);
  std::fill(out_alignments.begin() + s_first_len,
            out_alignments.begin() + static_cast<std::ptrdiff_t>(s.size() + first_len), last);
  std::copy(alignments_.begin() + first_len, alignments_.end(),
            out_alignments.begin() + static_cast<std::ptrdiff_t>(s.size() + first_len));
  normalized_.swap(out);
  alignments_.swap(out_alignments);
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
  // Every occurrence at once: a text with many spaces is one pass, not one
  // copy of the whole string per space.
  thread_local std::vector<std::pair<size_t, size_t>> ranges;  // per call, buffer kept
  ranges.clear();
  const std::string_view text = normalized_;
  for (size_t at = FindBytes(text, pattern, 0); at != std::string_view::npos;
       at = FindBytes(text, pattern, at + pattern.size())) {
    ranges.emplace_back(at, at + pattern.size());
  }
  ReplaceRanges(ranges, content);
}

void NormalizedString::SliceWhole() {
  if (normalized_.empty()) return;
  const uint32_t start = alignments_[0].first;
  if (start == 0) return;
  for (Alignment& a : alignments_) {
    a.first -= start;
    a.second -= start;
  }
  shift_ += start;
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
