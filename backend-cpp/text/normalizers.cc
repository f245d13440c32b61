#include "text/normalizers.h"

#include <algorithm>
#include <utility>

#include "text/combining_mark.h"
#include "text/precompiled_charsmap.h"
#include "text/regex_pattern.h"
#include "text/unicode_normalization.h"
#include "text/unicode_properties.h"
#include "text/utf8.h"

namespace fasterbert::text {
namespace {

class PrecompiledNormalizer : public Normalizer {
 public:
  explicit PrecompiledNormalizer(PrecompiledCharsmap map) : map_(std::move(map)) {}
  void Normalize(NormalizedString* s) const override { map_.Normalize(s); }

 private:
  PrecompiledCharsmap map_;
};

// A Replace pattern: a literal string or a Regex (text/regex.h).
struct ReplacePattern {
  std::string literal;
  std::unique_ptr<Regex> regex;  // null: the literal
};

class ReplaceNormalizer : public Normalizer {
 public:
  ReplaceNormalizer(ReplacePattern pattern, std::string content)
      : pattern_(std::move(pattern)), content_(std::move(content)) {}
  void Normalize(NormalizedString* s) const override {
    if (pattern_.regex == nullptr) {
      s->ReplaceAll(pattern_.literal, content_);
      return;
    }
    // All matches in one pass (ReplaceRanges), found on the text as it is:
    // a replacement never makes a new match, as HF's replace.
    thread_local std::vector<std::pair<size_t, size_t>> runs;
    pattern_.regex->FindAll(s->get(), &runs);
    s->ReplaceRanges(runs, content_);
  }

 private:
  ReplacePattern pattern_;
  std::string content_;
};

class PrependNormalizer : public Normalizer {
 public:
  explicit PrependNormalizer(std::string prepend) : prepend_(std::move(prepend)) {}
  void Normalize(NormalizedString* s) const override { s->Prepend(prepend_); }

 private:
  std::string prepend_;
};

class LowercaseNormalizer : public Normalizer {
 public:
  void Normalize(NormalizedString* s) const override {
    std::vector<NormalizedString::Change> dest;
    const std::string& text = s->get();
    for (size_t i = 0; i < text.size();) {
      char32_t c;
      i += DecodeUtf8(text, i, &c);
      char32_t lower[kMaxLowercaseLength];
      const int n = Lowercase(c, lower);
      for (int k = 0; k < n; ++k) dest.push_back({lower[k], k > 0 ? 1 : 0});
    }
    s->Transform(dest, 0);
  }
};

class StripNormalizer : public Normalizer {
 public:
  StripNormalizer(bool left, bool right) : left_(left), right_(right) {}
  void Normalize(NormalizedString* s) const override {
    // Only the ends are decoded: the chars in between are kept as they are.
    const std::string& text = s->get();
    size_t begin = 0, end = text.size(), leading = 0, trailing = 0;
    if (left_) {
      while (begin < end) {
        char32_t c;
        const size_t n = static_cast<size_t>(DecodeUtf8(text, begin, &c));
        if (!IsWhiteSpace(c)) break;
        begin += n;
        ++leading;
      }
    }
    if (right_) {
      while (end > begin) {
        size_t last = end - 1;
        while ((static_cast<unsigned char>(text[last]) & 0xC0) == 0x80) --last;
        char32_t c;
        DecodeUtf8(text, last, &c);
        if (!IsWhiteSpace(c)) break;
        end = last;
        ++trailing;
      }
    }
    if (leading == 0 && trailing == 0) return;
    // As HF's: the kept chars replace themselves, the last one also removes
    // the trailing run; the leading run is the initial offset.
    const std::vector<char32_t> kept = DecodeUtf8All(std::string_view(text).substr(begin, end - begin));
    std::vector<NormalizedString::Change> dest;
    dest.reserve(kept.size());
    for (size_t i = 0; i < kept.size(); ++i) {
      dest.push_back({kept[i], i + 1 == kept.size() ? -static_cast<int32_t>(trailing) : 0});
    }
    s->Transform(dest, leading);
  }

 private:
  bool left_, right_;
};

// NFD, NFKD, NFC and NFKC as HF's (unicode_normalization.h).
class UnicodeNormalizer : public Normalizer {
 public:
  explicit UnicodeNormalizer(NormalizationForm form) : form_(form) {}
  void Normalize(NormalizedString* s) const override {
    const std::string& text = s->get();
    // ASCII is its own normal form in all four, so its alignments stay.
    if (std::all_of(text.begin(), text.end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
      return;
    }
    s->Transform(NormalizationChanges(text, form_), 0);
  }

 private:
  NormalizationForm form_;
};

// HF's StripAccents: drops combining marks (category M) (HF's filter: a kept char takes
// the removal of the marks after it; marks at the start are the initial
// offset).
class StripAccentsNormalizer : public Normalizer {
 public:
  void Normalize(NormalizedString* s) const override {
    const std::vector<char32_t> chars = DecodeUtf8All(s->get());
    std::vector<NormalizedString::Change> reversed;
    int32_t removed = 0;
    for (size_t k = chars.size(); k-- > 0;) {
      if (IsCombiningMark(chars[k])) {
        ++removed;
        continue;
      }
      reversed.push_back({chars[k], -removed});
      removed = 0;
    }
    std::vector<NormalizedString::Change> dest(reversed.rbegin(), reversed.rend());
    s->Transform(dest, static_cast<size_t>(removed));
  }
};

class SequenceNormalizer : public Normalizer {
 public:
  explicit SequenceNormalizer(std::vector<std::unique_ptr<Normalizer>> parts)
      : parts_(std::move(parts)) {}
  void Normalize(NormalizedString* s) const override {
    for (const auto& part : parts_) part->Normalize(s);
  }

 private:
  std::vector<std::unique_ptr<Normalizer>> parts_;
};

ReplacePattern ReadPattern(const JsonReader& r, const JsonValue& object, const std::string& path) {
  const JsonValue& pattern = r.Get(object, path, "pattern");
  const std::string pattern_path = JsonReader::Join(path, "pattern");
  r.Expect(pattern, JsonValue::Type::kObject, pattern_path);
  ReplacePattern out;
  if (const JsonValue* s = pattern.Find("String")) {
    r.Expect(*s, JsonValue::Type::kString, pattern_path + ".String");
    if (s->string().empty()) r.Fail(pattern_path + ".String", "empty pattern");
    out.literal = s->string();
    return out;
  }
  if (const JsonValue* re = pattern.Find("Regex")) {
    r.Expect(*re, JsonValue::Type::kString, pattern_path + ".Regex");
    out.regex = CompileRegex(r, re->string(), pattern_path + ".Regex");
    // HF inserts the content at an empty match, aligned in ways we do not
    // reproduce: refused rather than tokenized differently.
    if (out.regex->can_match_empty()) {
      r.Fail(pattern_path + ".Regex", "regex '" + re->string() +
                                          "' can match the empty string, which a Replace pattern may "
                                          "not (supported: patterns that always match a char)");
    }
    return out;
  }
  r.Fail(pattern_path, "expected {\"String\": ...} or {\"Regex\": ...}");
}

}  // namespace

std::unique_ptr<Normalizer> MakeNormalizer(const JsonReader& r, const JsonValue& value,
                                           const std::string& path) {
  const std::string type = r.Type(value, path,
                                  {"Sequence", "Precompiled", "Replace", "Prepend", "Lowercase",
                                   "Strip", "StripAccents", "NFD", "NFKD", "NFC", "NFKC"});
  if (type == "Sequence") {
    std::vector<std::unique_ptr<Normalizer>> parts;
    const auto& items = r.Array(value, path, "normalizers");
    for (size_t i = 0; i < items.size(); ++i) {
      parts.push_back(MakeNormalizer(r, items[i], JsonReader::Index(path + ".normalizers", i)));
    }
    return std::make_unique<SequenceNormalizer>(std::move(parts));
  }
  if (type == "Precompiled") {
    const JsonValue* map = r.Optional(value, "precompiled_charsmap");
    if (map == nullptr) return std::make_unique<SequenceNormalizer>(
        std::vector<std::unique_ptr<Normalizer>>{});
    r.Expect(*map, JsonValue::Type::kString, path + ".precompiled_charsmap");
    if (map->string().empty()) {
      return std::make_unique<SequenceNormalizer>(std::vector<std::unique_ptr<Normalizer>>{});
    }
    return std::make_unique<PrecompiledNormalizer>(PrecompiledCharsmap::FromBase64(
        map->string(), "tokenizer.json '" + r.name() + "': " + path + ".precompiled_charsmap"));
  }
  if (type == "Replace") {
    return std::make_unique<ReplaceNormalizer>(ReadPattern(r, value, path),
                                               r.String(value, path, "content"));
  }
  if (type == "Prepend") {
    return std::make_unique<PrependNormalizer>(r.String(value, path, "prepend"));
  }
  if (type == "Lowercase") return std::make_unique<LowercaseNormalizer>();
  if (type == "NFD") return std::make_unique<UnicodeNormalizer>(NormalizationForm::kNfd);
  if (type == "NFKD") return std::make_unique<UnicodeNormalizer>(NormalizationForm::kNfkd);
  if (type == "NFC") return std::make_unique<UnicodeNormalizer>(NormalizationForm::kNfc);
  if (type == "NFKC") return std::make_unique<UnicodeNormalizer>(NormalizationForm::kNfkc);
  if (type == "StripAccents") return std::make_unique<StripAccentsNormalizer>();
  return std::make_unique<StripNormalizer>(r.Bool(value, path, "strip_left", true),
                                           r.Bool(value, path, "strip_right", true));
}

}  // namespace fasterbert::text
