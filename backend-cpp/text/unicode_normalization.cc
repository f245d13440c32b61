#include "text/unicode_normalization.h"

#include <algorithm>
#include <optional>

#include "text/normalization_data.h"
#include "text/unicode_properties.h"
#include "text/utf8.h"

namespace fasterbert::text {
namespace {

// Hangul syllables compose algorithmically (Unicode 3.12).
constexpr char32_t kHangulBase = 0xAC00, kHangulCount = 11172, kLeadBase = 0x1100,
                   kLeadCount = 19, kVowelBase = 0x1161, kVowelCount = 21, kTrailBase = 0x11A7,
                   kTrailCount = 28;

// A char of the decomposition with its class and change.
struct Part {
  char32_t cp;
  uint8_t ccc;
  int32_t change;
};

// Decomposes every char of `text` and puts each run of non-starters in
// canonical order (a stable sort by class: the crate sorts its pending
// buffer the same way when the next starter arrives).
std::vector<Part> Decomposition(std::string_view text, bool compatible) {
  std::vector<Part> parts;
  parts.reserve(text.size());
  char32_t decomposed[kMaxCompatibilityLength];
  for (size_t i = 0; i < text.size();) {
    char32_t c;
    i += DecodeUtf8(text, i, &c);
    const int n = compatible ? DecomposeCompatible(c, decomposed) : Decompose(c, decomposed);
    for (int k = 0; k < n; ++k) {
      parts.push_back({decomposed[k], CombiningClass(decomposed[k]), k > 0 ? 1 : 0});
    }
  }
  for (size_t i = 0; i < parts.size();) {
    if (parts[i].ccc == 0) {
      ++i;
      continue;
    }
    size_t j = i + 1;
    while (j < parts.size() && parts[j].ccc != 0) ++j;
    std::stable_sort(parts.begin() + i, parts.begin() + j,
                     [](const Part& a, const Part& b) { return a.ccc < b.ccc; });
    i = j;
  }
  return parts;
}

// Canonical composition in the crate's order of output: a starter (the
// composee) absorbs each following char it composes with that is not
// blocked (a char in between of the same or a higher class, or a starter);
// the chars it could not absorb wait in `pending` and follow it.
std::vector<NormalizedString::Change> Recompose(const std::vector<Part>& parts) {
  std::vector<NormalizedString::Change> out;
  out.reserve(parts.size());
  std::optional<NormalizedString::Change> composee;
  std::vector<NormalizedString::Change> pending;
  int last_ccc = -1;  // class of the last pending char; -1: none pending
  auto flush = [&]() {
    out.push_back(*composee);
    out.insert(out.end(), pending.begin(), pending.end());
    pending.clear();
    last_ccc = -1;
  };
  for (const Part& p : parts) {
    if (!composee) {
      if (p.ccc != 0) {
        out.push_back({p.cp, p.change});
      } else {
        composee = NormalizedString::Change{p.cp, p.change};
      }
      continue;
    }
    const bool blocked = last_ccc >= 0 && last_ccc >= p.ccc;
    if (!blocked) {
      if (const char32_t composite = Compose(composee->c, p.cp)) {
        composee = NormalizedString::Change{composite, composee->change + p.change - 1};
        continue;
      }
    }
    if (p.ccc == 0) {
      flush();
      composee = NormalizedString::Change{p.cp, p.change};
      continue;
    }
    pending.push_back({p.cp, p.change});
    last_ccc = p.ccc;
  }
  if (composee) flush();
  return out;
}

}  // namespace

int DecomposeCompatible(char32_t cp, char32_t* out) {
  using namespace normalization_data;
  if (cp >= 0xA0) {  // U+00A0 is the first code point with a compatibility mapping
    const CompatibilityMapping* end = kCompatibility + kCompatibilityCount;
    const CompatibilityMapping* it = std::lower_bound(
        kCompatibility, end, cp, [](const CompatibilityMapping& m, char32_t c) { return m.cp < c; });
    if (it != end && it->cp == cp) {
      std::copy_n(kCompatibilityPool + it->offset, it->length, out);
      return it->length;
    }
  }
  return Decompose(cp, out);
}

char32_t Compose(char32_t first, char32_t second) {
  if (first >= kLeadBase && first < kLeadBase + kLeadCount && second >= kVowelBase &&
      second < kVowelBase + kVowelCount) {
    return kHangulBase + ((first - kLeadBase) * kVowelCount + (second - kVowelBase)) * kTrailCount;
  }
  if (first >= kHangulBase && first < kHangulBase + kHangulCount &&
      (first - kHangulBase) % kTrailCount == 0 && second > kTrailBase &&
      second < kTrailBase + kTrailCount) {
    return first + (second - kTrailBase);
  }
  using namespace normalization_data;
  const Composition* end = kCompositions + kCompositionCount;
  const Composition* it = std::lower_bound(kCompositions, end, Composition{first, second, 0},
                                           [](const Composition& a, const Composition& b) {
                                             return a.first != b.first ? a.first < b.first
                                                                       : a.second < b.second;
                                           });
  return (it != end && it->first == first && it->second == second) ? it->composite : 0;
}

std::vector<NormalizedString::Change> NormalizationChanges(std::string_view text,
                                                           NormalizationForm form) {
  const bool compatible = form == NormalizationForm::kNfkd || form == NormalizationForm::kNfkc;
  const std::vector<Part> parts = Decomposition(text, compatible);
  if (form == NormalizationForm::kNfc || form == NormalizationForm::kNfkc) return Recompose(parts);
  std::vector<NormalizedString::Change> out;
  out.reserve(parts.size());
  for (const Part& p : parts) out.push_back({p.cp, p.change});
  return out;
}

}  // namespace fasterbert::text
