// The regex engine of Split pre-tokenizers and Replace normalizers: the
// subset of Oniguruma's Ruby syntax (what HF tokenizers compiles these
// patterns with) that real tokenizer.json files use, matched by code point
// on UTF-8 text with Oniguruma's leftmost-first semantics.
//
// Supported: literals and escapes (\t \n \r \f \v \a \e, \xHH, \x{H..},
// \uHHHH, an escaped non-alphanumeric ASCII char), `.` (any char but \n),
// classes [...] / [^...] with ranges and escapes, \s \S \d \D \w \W and
// \p{X} \P{X} \p{^X} for X in L M N P S Z (or Letter, Mark, Number,
// Punctuation, Symbol, Separator), groups (...) (not captured), (?:...),
// (?i:...), lookahead (?=...) (?!...), alternation, quantifiers * + ? {n}
// {n,} {n,m} (n, m <= 1000), greedy or lazy (`?` after), and the line
// anchors ^ $, in at most 1024 instructions once {n,m} are expanded.
// Everything else is refused when the pattern is compiled.
//
// Class semantics are Oniguruma's with Unicode (UTF-8) text: \s is
// White_Space, \d is Nd, \w is UTS #18's without Join_Control plus ² ³ ¹
// ¼ ½ ¾ (probed through HF), \p{..} the General_Category, all from Unicode
// 16.0 as in HF's onig.
// (?i) folds ASCII letters and Unicode simple lowercase mappings (plus
// U+017F LONG S to s), not Unicode's full case folding.
//
// Matching is backtracking over a small program with each (instruction,
// position) state tried at most once per search (and lookahead results
// memoized), so the patterns above run in linear time; what can still
// backtrack far (e.g. a*b|a on a long run of a) stops at a step budget
// proportional to the text and throws InvalidTextError for that text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fasterbert::text {

// A pattern outside the supported subset; what() says where and why.
class RegexSyntaxError : public std::runtime_error {
 public:
  explicit RegexSyntaxError(const std::string& message) : std::runtime_error(message) {}
};

class Regex {
 public:
  // Throws RegexSyntaxError for a pattern outside the subset.
  explicit Regex(std::string_view pattern);

  // The byte ranges [begin, end) of the matches in `text` (valid UTF-8),
  // left to right, as Oniguruma's find-all iterator gives them to HF
  // tokenizers: the next search starts at the previous match's end, and an
  // empty match right at that end is skipped (the search moves on by one
  // char). Throws InvalidTextError when the step budget runs out.
  void FindAll(std::string_view text, std::vector<std::pair<size_t, size_t>>* matches) const;

  const std::string& pattern() const { return pattern_; }
  // Whether some match can be empty (e.g. \s*, a lookahead alone).
  bool can_match_empty() const { return can_match_empty_; }

  // One instruction of the compiled program (public for the compiler in
  // regex.cc; not an interface).
  struct Inst {
    enum class Op : uint8_t { kChar, kAny, kClass, kSplit, kJmp, kLook, kLineStart, kLineEnd,
                              kMatch };
    Op op;
    bool fold = false;    // kChar, kClass: case-insensitive
    bool negate = false;  // kLook: (?!...)
    char32_t c = 0;       // kChar
    uint32_t x = 0;       // kClass: class index; kSplit/kJmp: first target; kLook: body
    uint32_t y = 0;       // kSplit: second target; kLook: where to go on success
    uint32_t look = 0;    // kLook: index among the lookaheads
  };
  struct ClassItem {
    enum class Kind : uint8_t { kRange, kSpace, kDigit, kWord, kCategory };
    Kind kind;
    bool negate = false;  // \S \D \W \P{..}
    char32_t first = 0, last = 0;  // kRange; kCategory: category value in `first`
  };
  struct Class {
    bool negate = false;
    std::vector<ClassItem> items;
  };

 private:
  std::string pattern_;
  std::vector<Inst> program_;
  std::vector<Class> classes_;
  uint32_t looks_ = 0;
  bool can_match_empty_ = false;
};

}  // namespace fasterbert::text
