// Finds special tokens (e.g. "[SEP]") written in the raw text. HF adds them
// to the tokenizer's added vocabulary with normalized=false, so they are
// matched on the original text, exactly and case-sensitively, before
// normalization, leftmost-longest first; the text between them is tokenized
// normally.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fasterbert::text {

class SpecialTokenMatcher {
 public:
  struct Segment {
    uint32_t begin;
    uint32_t end;
    int32_t id;  // kText for ordinary text
  };
  static constexpr int32_t kText = -1;

  // (token, id) pairs; empty tokens are ignored.
  explicit SpecialTokenMatcher(std::vector<std::pair<std::string, int32_t>> tokens);

  // Replaces *out with the segments of `text`, in order, covering all of it
  // (no empty text segments).
  void Split(std::string_view text, std::vector<Segment>* out) const;

 private:
  // Where a match may start: text positions holding one of these bytes.
  size_t FindCandidate(std::string_view text, size_t from) const;

  std::vector<std::pair<std::string, int32_t>> tokens_;
  bool first_bytes_[256] = {};
  int only_first_byte_ = -1;  // the one first byte all tokens share, if any
};

}  // namespace fasterbert::text
