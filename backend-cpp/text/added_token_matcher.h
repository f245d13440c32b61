// Finds added tokens (special tokens such as "[SEP]" or "<mask>") written in
// the raw text. HF keeps them in the tokenizer's added vocabulary; those with
// normalized=false (all we accept) are matched on the original text, exactly
// and case-sensitively, before normalization, leftmost-longest first. A token
// with lstrip or rstrip also takes the whitespace before or after it. The
// text between matches is tokenized normally.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fasterbert::text {

class AddedTokenMatcher {
 public:
  struct Token {
    std::string content;
    int32_t id = 0;
    bool lstrip = false;  // the match takes the whitespace before it
    bool rstrip = false;  // and after it
  };
  struct Segment {
    uint32_t begin;
    uint32_t end;
    int32_t id;  // kText for ordinary text
  };
  static constexpr int32_t kText = -1;

  AddedTokenMatcher() = default;
  // Tokens with empty content are ignored.
  explicit AddedTokenMatcher(std::vector<Token> tokens);

  // Replaces *out with the segments of `text` (valid UTF-8), in order,
  // covering all of it (no empty text segments). lstrip never reaches back
  // into an earlier match.
  void Split(std::string_view text, std::vector<Segment>* out) const;

 private:
  // Where a match may start: text positions holding one of these bytes.
  size_t FindCandidate(std::string_view text, size_t from) const;

  std::vector<Token> tokens_;  // longest content first
  bool first_bytes_[256] = {};
  int only_first_byte_ = -1;  // the one first byte all tokens share, if any
};

}  // namespace fasterbert::text
