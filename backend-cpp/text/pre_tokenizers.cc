#include "text/pre_tokenizers.h"

#include <algorithm>
#include <utility>

#include "text/byte_level.h"
#include "text/byte_search.h"
#include "text/numeric_char.h"
#include "text/regex_pattern.h"
#include "text/unicode_properties.h"
#include "text/word_char.h"
#include "text/utf8.h"

namespace fasterbert::text {
namespace {

// Appends the non-empty slices [begin, end) of `piece` to *out.
void AppendSlice(const NormalizedString& piece, size_t begin, size_t end,
                 std::vector<NormalizedString>* out) {
  if (begin < end) out->push_back(piece.Slice(begin, end));
}

// HF's SplitDelimiterBehavior.
enum class SplitBehavior { kRemoved, kIsolated, kMergedWithPrevious, kMergedWithNext, kContiguous };

struct Match {
  size_t start, end;
  bool is_match;
};

// HF's NormalizedString::split: `matches` cover the piece in order.
void SplitByMatches(const NormalizedString& piece, const std::vector<Match>& matches,
                    SplitBehavior behavior, std::vector<NormalizedString>* out) {
  std::vector<Match> kept;  // is_match here means "drop"
  bool previous = false;
  switch (behavior) {
    case SplitBehavior::kRemoved:
      kept = matches;
      break;
    case SplitBehavior::kIsolated:
      for (const Match& m : matches) kept.push_back({m.start, m.end, false});
      break;
    case SplitBehavior::kContiguous:
      for (size_t i = 0; i < matches.size(); ++i) {
        if (i > 0 && matches[i].is_match == previous) {
          kept.back().end = matches[i].end;
        } else {
          kept.push_back({matches[i].start, matches[i].end, false});
        }
        previous = matches[i].is_match;
      }
      break;
    case SplitBehavior::kMergedWithPrevious:
      for (const Match& m : matches) {
        if (m.is_match && !previous && !kept.empty()) {
          kept.back().end = m.end;
        } else {
          kept.push_back({m.start, m.end, false});
        }
        previous = m.is_match;
      }
      break;
    case SplitBehavior::kMergedWithNext:
      for (size_t i = matches.size(); i-- > 0;) {
        const Match& m = matches[i];
        if (m.is_match && !previous && !kept.empty()) {
          kept.back().start = m.start;
        } else {
          kept.push_back({m.start, m.end, false});
        }
        previous = m.is_match;
      }
      std::reverse(kept.begin(), kept.end());
      break;
  }
  for (const Match& m : kept) {
    if (!m.is_match) AppendSlice(piece, m.start, m.end, out);
  }
}

// Every char for which is_delimiter holds is one match.
template <typename F>
void CharMatches(const std::string& text, F&& is_delimiter, std::vector<Match>* matches) {
  matches->clear();
  size_t last = 0;
  for (size_t i = 0; i < text.size();) {
    char32_t c;
    const size_t n = DecodeUtf8(text, i, &c);
    if (is_delimiter(c)) {
      if (last < i) matches->push_back({last, i, false});
      matches->push_back({i, i + n, true});
      last = i + n;
    }
    i += n;
  }
  if (last < text.size()) matches->push_back({last, text.size(), false});
}

class PunctuationPreTokenizer : public PreTokenizer {
 public:
  explicit PunctuationPreTokenizer(SplitBehavior behavior) : behavior_(behavior) {}
  void PreTokenize(std::vector<NormalizedString>* pieces) const override {
    std::vector<NormalizedString> out;
    std::vector<Match> matches;
    for (const NormalizedString& piece : *pieces) {
      CharMatches(piece.get(),
                  [](char32_t c) { return (UnicodeFlags(c) & unicode_data::kPunctuation) != 0; },
                  &matches);
      SplitByMatches(piece, matches, behavior_, &out);
    }
    *pieces = std::move(out);
  }

 private:
  SplitBehavior behavior_;
};

// HF's Digits: numeric chars (Rust's char::is_numeric) split off, each on
// its own (individual_digits) or as runs (Contiguous).
class DigitsPreTokenizer : public PreTokenizer {
 public:
  explicit DigitsPreTokenizer(bool individual_digits)
      : behavior_(individual_digits ? SplitBehavior::kIsolated : SplitBehavior::kContiguous) {}
  void PreTokenize(std::vector<NormalizedString>* pieces) const override {
    std::vector<NormalizedString> out;
    std::vector<Match> matches;
    for (const NormalizedString& piece : *pieces) {
      CharMatches(piece.get(), IsNumeric, &matches);
      SplitByMatches(piece, matches, behavior_, &out);
    }
    *pieces = std::move(out);
  }

 private:
  SplitBehavior behavior_;
};

// Split with a String pattern (non-overlapping, left to right) or a Regex
// (text/regex.h), optionally inverted (the pattern is what is kept).
class SplitPreTokenizer : public PreTokenizer {
 public:
  SplitPreTokenizer(std::string literal, std::unique_ptr<Regex> regex, SplitBehavior behavior,
                    bool invert)
      : literal_(std::move(literal)), regex_(std::move(regex)), behavior_(behavior), invert_(invert) {}
  void PreTokenize(std::vector<NormalizedString>* pieces) const override {
    std::vector<NormalizedString> out;
    std::vector<Match> matches;
    std::vector<std::pair<size_t, size_t>> found;
    for (const NormalizedString& piece : *pieces) {
      const std::string& text = piece.get();
      matches.clear();
      if (regex_ != nullptr) {
        regex_->FindAll(text, &found);
      } else {
        found.clear();
        for (size_t at = text.find(literal_); at != std::string::npos;
             at = text.find(literal_, at + literal_.size())) {
          found.emplace_back(at, at + literal_.size());
        }
      }
      // HF's Pattern::find_matches: the matches (empty ones too) and the
      // text between them.
      size_t last = 0;
      for (const auto& [begin, end] : found) {
        if (last < begin) matches.push_back({last, begin, invert_});
        matches.push_back({begin, end, !invert_});
        last = end;
      }
      if (last < text.size()) matches.push_back({last, text.size(), invert_});
      SplitByMatches(piece, matches, behavior_, &out);
    }
    *pieces = std::move(out);
  }

 private:
  std::string literal_;
  std::unique_ptr<Regex> regex_;  // null: split on literal_
  SplitBehavior behavior_;
  bool invert_;
};

SplitBehavior ReadBehavior(const JsonReader& r, const JsonValue& value, const std::string& path,
                           SplitBehavior fallback) {
  const JsonValue* b = r.Optional(value, "behavior");
  if (b == nullptr) return fallback;
  r.Expect(*b, JsonValue::Type::kString, path + ".behavior");
  const std::string& name = b->string();
  if (name == "Removed") return SplitBehavior::kRemoved;
  if (name == "Isolated") return SplitBehavior::kIsolated;
  if (name == "MergedWithPrevious") return SplitBehavior::kMergedWithPrevious;
  if (name == "MergedWithNext") return SplitBehavior::kMergedWithNext;
  if (name == "Contiguous") return SplitBehavior::kContiguous;
  r.Fail(path + ".behavior", "'" + name + "' is not supported (Removed, Isolated, "
                                          "MergedWithPrevious, MergedWithNext, Contiguous)");
}

// A pre-tokenizer that always splits in place: PreTokenize is SplitInPlace
// on each piece, its ranges sliced out.
class InPlacePreTokenizer : public PreTokenizer {
 public:
  void PreTokenize(std::vector<NormalizedString>* pieces) const final {
    std::vector<NormalizedString> out;
    std::vector<std::pair<uint32_t, uint32_t>> ranges;
    for (NormalizedString& piece : *pieces) {
      SplitInPlace(&piece, &ranges);
      for (const auto& range : ranges) out.push_back(piece.Slice(range.first, range.second));
    }
    *pieces = std::move(out);
  }
};

class MetaspacePreTokenizer : public InPlacePreTokenizer {
 public:
  enum class Prepend { kAlways, kFirst, kNever };
  MetaspacePreTokenizer(std::string replacement, Prepend prepend, bool split)
      : replacement_(std::move(replacement)), prepend_(prepend), split_(split) {}

  bool SplitInPlace(NormalizedString* piece,
                    std::vector<std::pair<uint32_t, uint32_t>>* ranges) const override {
    ranges->clear();
    piece->ReplaceAll(" ", replacement_);
    const bool starts = piece->get().compare(0, replacement_.size(), replacement_) == 0;
    if (!starts && (prepend_ == Prepend::kAlways ||
                    (prepend_ == Prepend::kFirst && piece->shift() == 0))) {
      piece->Prepend(replacement_);
    }
    const std::string& text = piece->get();
    if (text.empty()) return true;
    if (!split_) {
      ranges->emplace_back(0, static_cast<uint32_t>(text.size()));
      return true;
    }
    // MergedWithNext: every replacement char starts a new piece.
    size_t start = 0;
    for (size_t at = FindBytes(text, replacement_, 1); at != std::string_view::npos;
         at = FindBytes(text, replacement_, at + replacement_.size())) {
      if (start < at) ranges->emplace_back(static_cast<uint32_t>(start), static_cast<uint32_t>(at));
      start = at;
    }
    ranges->emplace_back(static_cast<uint32_t>(start), static_cast<uint32_t>(text.size()));
    return true;
  }

 private:
  std::string replacement_;
  Prepend prepend_;
  bool split_;
};

class WhitespaceSplitPreTokenizer : public PreTokenizer {
 public:
  void PreTokenize(std::vector<NormalizedString>* pieces) const override {
    std::vector<NormalizedString> out;
    for (const NormalizedString& piece : *pieces) {
      const std::string& text = piece.get();
      size_t start = 0;
      for (size_t i = 0; i < text.size();) {
        char32_t c;
        const size_t n = DecodeUtf8(text, i, &c);
        if (IsWhiteSpace(c)) {
          AppendSlice(piece, start, i, &out);
          start = i + n;
        }
        i += n;
      }
      AppendSlice(piece, start, text.size(), &out);
    }
    *pieces = std::move(out);
  }
};

// GPT-2's: a space prepended when asked, the GPT-2 regex split, then
// every byte written as its char of the byte-level alphabet (the first
// replacing the original char, the others inserted).
class ByteLevelPreTokenizer : public InPlacePreTokenizer {
 public:
  ByteLevelPreTokenizer(bool add_prefix_space, bool use_regex)
      : add_prefix_space_(add_prefix_space), use_regex_(use_regex) {
    for (int byte = 0; byte < 256; ++byte) {
      AppendUtf8(ByteLevelChar(static_cast<uint8_t>(byte)), &byte_chars_[byte]);
    }
  }
  bool SplitInPlace(NormalizedString* piece,
                    std::vector<std::pair<uint32_t, uint32_t>>* ranges) const override {
    ranges->clear();
    if (add_prefix_space_ && (piece->empty() || piece->get()[0] != ' ')) piece->Prepend(" ");
    if (piece->empty()) return true;
    if (!use_regex_) {
      ranges->emplace_back(0, static_cast<uint32_t>(piece->get().size()));
    } else {
      SplitGpt2(piece->get(), ranges);
    }
    // The byte-level chars of the whole piece are those of its splits (a
    // char's inserted bytes take its own alignment, never the split's
    // before); the ranges move with the bytes.
    thread_local std::vector<uint32_t> positions;
    piece->ReplaceBytes(byte_chars_, &positions);
    for (auto& range : *ranges) range = {positions[range.first], positions[range.second]};
    return true;
  }

 private:
  bool add_prefix_space_, use_regex_;
  std::string byte_chars_[256];  // UTF-8 of each byte's char
};

// HF's Whitespace: the runs of `\w+|[^\w\s]+` are kept, whitespace goes.
class WhitespacePreTokenizer : public PreTokenizer {
 public:
  void PreTokenize(std::vector<NormalizedString>* pieces) const override {
    std::vector<NormalizedString> out;
    for (const NormalizedString& piece : *pieces) {
      const std::string& text = piece.get();
      size_t start = 0;
      int run = 0;  // 0: none, 1: word chars, 2: other non-space chars
      for (size_t i = 0; i < text.size();) {
        char32_t c;
        const size_t n = DecodeUtf8(text, i, &c);
        const int kind = IsWordChar(c) ? 1 : IsWhiteSpace(c) ? 0 : 2;
        if (kind != run) {
          if (run != 0) AppendSlice(piece, start, i, &out);
          start = i;
          run = kind;
        }
        i += n;
      }
      if (run != 0) AppendSlice(piece, start, text.size(), &out);
    }
    *pieces = std::move(out);
  }
};

class SequencePreTokenizer : public PreTokenizer {
 public:
  explicit SequencePreTokenizer(std::vector<std::unique_ptr<PreTokenizer>> parts)
      : parts_(std::move(parts)) {}
  void PreTokenize(std::vector<NormalizedString>* pieces) const override {
    for (const auto& part : parts_) part->PreTokenize(pieces);
  }

 private:
  std::vector<std::unique_ptr<PreTokenizer>> parts_;
};

}  // namespace

std::unique_ptr<PreTokenizer> MakePreTokenizer(const JsonReader& r, const JsonValue& value,
                                               const std::string& path) {
  const std::string type = r.Type(value, path, {"Sequence", "Metaspace", "ByteLevel", "Whitespace",
                                     "WhitespaceSplit", "Punctuation", "Split", "Digits"});
  if (type == "Sequence") {
    std::vector<std::unique_ptr<PreTokenizer>> parts;
    const auto& items = r.Array(value, path, "pretokenizers");
    for (size_t i = 0; i < items.size(); ++i) {
      parts.push_back(MakePreTokenizer(r, items[i], JsonReader::Index(path + ".pretokenizers", i)));
    }
    return std::make_unique<SequencePreTokenizer>(std::move(parts));
  }
  if (type == "Metaspace") {
    const std::string& replacement = r.String(value, path, "replacement");
    size_t chars = 0;
    for (size_t i = 0; i < replacement.size();) {
      char32_t c;
      i += DecodeUtf8(replacement, i, &c);
      ++chars;
    }
    if (chars != 1) r.Fail(path + ".replacement", "expected one char");
    MetaspacePreTokenizer::Prepend prepend = MetaspacePreTokenizer::Prepend::kAlways;
    if (const JsonValue* scheme = r.Optional(value, "prepend_scheme")) {
      r.Expect(*scheme, JsonValue::Type::kString, path + ".prepend_scheme");
      const std::string& s = scheme->string();
      if (s == "always") {
        prepend = MetaspacePreTokenizer::Prepend::kAlways;
      } else if (s == "first") {
        prepend = MetaspacePreTokenizer::Prepend::kFirst;
      } else if (s == "never") {
        prepend = MetaspacePreTokenizer::Prepend::kNever;
      } else {
        r.Fail(path + ".prepend_scheme", "'" + s + "' is not supported (always, first, never)");
      }
    } else if (!r.Bool(value, path, "add_prefix_space", true)) {
      prepend = MetaspacePreTokenizer::Prepend::kNever;
    }
    return std::make_unique<MetaspacePreTokenizer>(replacement, prepend,
                                                   r.Bool(value, path, "split", true));
  }
  if (type == "ByteLevel") {
    return std::make_unique<ByteLevelPreTokenizer>(r.Bool(value, path, "add_prefix_space", true),
                                                   r.Bool(value, path, "use_regex", true));
  }
  if (type == "Whitespace") return std::make_unique<WhitespacePreTokenizer>();
  if (type == "Punctuation") {
    return std::make_unique<PunctuationPreTokenizer>(
        ReadBehavior(r, value, path, SplitBehavior::kIsolated));
  }
  if (type == "Digits") {
    // Required, as in HF (a plain bool field without a default).
    const JsonValue& individual = r.Get(value, path, "individual_digits");
    r.Expect(individual, JsonValue::Type::kBool, JsonReader::Join(path, "individual_digits"));
    return std::make_unique<DigitsPreTokenizer>(individual.bool_value());
  }
  if (type == "Split") {
    const JsonValue& pattern = r.Get(value, path, "pattern");
    const std::string pattern_path = JsonReader::Join(path, "pattern");
    r.Expect(pattern, JsonValue::Type::kObject, pattern_path);
    std::string literal;
    std::unique_ptr<Regex> regex;
    if (const JsonValue* s = pattern.Find("String")) {
      r.Expect(*s, JsonValue::Type::kString, pattern_path + ".String");
      if (s->string().empty()) r.Fail(pattern_path + ".String", "empty pattern");
      literal = s->string();
    } else if (const JsonValue* re = pattern.Find("Regex")) {
      r.Expect(*re, JsonValue::Type::kString, pattern_path + ".Regex");
      regex = CompileRegex(r, re->string(), pattern_path + ".Regex");
    } else {
      r.Fail(pattern_path, "expected {\"String\": ...} or {\"Regex\": ...}");
    }
    return std::make_unique<SplitPreTokenizer>(
        std::move(literal), std::move(regex), ReadBehavior(r, value, path, SplitBehavior::kRemoved),
        r.Bool(value, path, "invert", false));
  }
  return std::make_unique<WhitespaceSplitPreTokenizer>();
}

}  // namespace fasterbert::text
