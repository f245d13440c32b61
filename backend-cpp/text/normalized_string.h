// A string being normalized, with HF tokenizers' alignment rules: every byte
// of the normalized string knows the byte range [start, end) of the original
// char(s) it came from, relative to this piece's original text, which starts
// at `shift` in the whole input. Replaced chars keep the alignment of the
// char they replace, inserted chars take the alignment of the char before
// them ((0, 0) at the very start), removed chars vanish; see Transform.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fasterbert::text {

class NormalizedString {
 public:
  using Alignment = std::pair<uint32_t, uint32_t>;
  // One char of a transformation's output and what it does (HF's `changes`):
  // 0 replaces the next original char, 1 is inserted, -N replaces the next
  // original char and removes the N after it.
  struct Change {
    char32_t c;
    int32_t change;
  };

  NormalizedString() = default;
  // `text` (valid UTF-8) unchanged, starting at byte `shift` of the input.
  NormalizedString(std::string_view text, uint32_t shift);
  // *this = NormalizedString(text, shift), in the buffers it already has.
  void Assign(std::string_view text, uint32_t shift);

  const std::string& get() const { return normalized_; }
  const std::vector<Alignment>& alignments() const { return alignments_; }
  uint32_t shift() const { return shift_; }
  bool empty() const { return normalized_.empty(); }

  // Replaces normalized bytes [begin, end) (on char boundaries) by `dest`;
  // `initial_offset` chars at the start of that range are removed first.
  void TransformRange(size_t begin, size_t end, const std::vector<Change>& dest,
                      size_t initial_offset);
  void Transform(const std::vector<Change>& dest, size_t initial_offset) {
    TransformRange(0, normalized_.size(), dest, initial_offset);
  }
  // Many TransformRange calls in one pass, for normalizers that change a few
  // stretches of a long text: edit k replaces normalized bytes [begin, end)
  // by changes[first_change, last_change) after removing `initial_offset`
  // chars. Edits are sorted and disjoint, and each reads alignments only
  // inside its range (and the byte before it), so this equals applying
  // them one by one from the right; the bytes between edits are copied.
  struct Edit {
    size_t begin, end;
    size_t first_change, last_change;
    size_t initial_offset;
  };
  void TransformRanges(const std::vector<Edit>& edits, const std::vector<Change>& changes);
  // Each of `ranges` (sorted, disjoint, not empty, on char boundaries)
  // becomes `content`, every byte of which takes the alignment of the
  // range's last byte: TransformRanges with the range's chars removed and
  // content's chars inserted (HF's replace), without decoding anything.
  void ReplaceRanges(const std::vector<std::pair<size_t, size_t>>& ranges,
                     std::string_view content);
  // Every byte becomes table[byte] (not empty), whose bytes take that
  // byte's alignment: HF's Transform of each char into one new char per
  // byte (the first replacing it, the others inserted), as the bytes of a
  // char always share its alignment. *positions (when given) gets, for
  // each old byte offset 0..size, where it is now.
  void ReplaceBytes(const std::string (&table)[256], std::vector<uint32_t>* positions);
  // HF's prepend: nothing when empty.
  void Prepend(std::string_view s);
  // HF's append: nothing when empty.
  void Append(std::string_view s);
  // Every occurrence of `pattern` (non-empty, left to right, not
  // overlapping) becomes `content` (see ReplaceRanges).
  void ReplaceAll(std::string_view pattern, std::string_view content);
  // Byte range in the whole input of normalized bytes [begin, end), begin <
  // end.
  Alignment InputRange(size_t begin, size_t end) const {
    return {shift_ + alignments_[begin].first, shift_ + alignments_[end - 1].second};
  }
  // HF's slice over normalized bytes [begin, end) (begin < end).
  NormalizedString Slice(size_t begin, size_t end) const;
  // *this = Slice(0, size) without a copy (nothing when empty).
  void SliceWhole();

 private:
  // Appends to *out / *out_alignments what TransformRange writes for
  // normalized bytes [begin, end).
  void AppendTransformed(size_t begin, size_t end, const Change* dest, size_t dest_size,
                         size_t initial_offset, std::string* out,
                         std::vector<Alignment>* out_alignments) const;

  std::string normalized_;
  std::vector<Alignment> alignments_;
  uint32_t shift_ = 0;
};

}  // namespace fasterbert::text
