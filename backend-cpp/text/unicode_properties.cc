#include "text/unicode_properties.h"

#include <algorithm>

namespace fasterbert::text {
namespace {

template <typename Row>
const Row* FindRow(const Row* rows, size_t count, char32_t cp) {
  const Row* end = rows + count;
  const Row* it = std::lower_bound(rows, end, cp, [](const Row& r, char32_t c) { return r.cp < c; });
  return (it != end && it->cp == cp) ? it : nullptr;
}

int CopyMapping(const unicode_data::Mapping* m, char32_t cp, char32_t* out) {
  if (m == nullptr) {
    out[0] = cp;
    return 1;
  }
  std::copy_n(unicode_data::kMappingPool + m->offset, m->length, out);
  return m->length;
}

// Hangul syllables decompose algorithmically (Unicode 3.12).
constexpr char32_t kHangulBase = 0xAC00, kLeadBase = 0x1100, kVowelBase = 0x1161,
                   kTrailBase = 0x11A7;
constexpr char32_t kVowelCount = 21, kTrailCount = 28, kHangulCount = 11172;

}  // namespace

uint8_t CombiningClass(char32_t cp) {
  if (!(UnicodeFlags(cp) & unicode_data::kNonStarter)) return 0;
  const auto* row = FindRow(unicode_data::kCombiningClasses, unicode_data::kCombiningClassCount, cp);
  return row ? row->ccc : 0;
}

int Decompose(char32_t cp, char32_t* out) {
  if (!(UnicodeFlags(cp) & unicode_data::kHasDecomposition)) {
    out[0] = cp;
    return 1;
  }
  if (cp >= kHangulBase && cp < kHangulBase + kHangulCount) {
    const char32_t index = cp - kHangulBase;
    out[0] = kLeadBase + index / (kVowelCount * kTrailCount);
    out[1] = kVowelBase + (index % (kVowelCount * kTrailCount)) / kTrailCount;
    const char32_t trail = index % kTrailCount;
    if (trail == 0) return 2;
    out[2] = kTrailBase + trail;
    return 3;
  }
  return CopyMapping(FindRow(unicode_data::kDecompositions, unicode_data::kDecompositionCount, cp),
                     cp, out);
}

int Lowercase(char32_t cp, char32_t* out) {
  if (cp < 0x80) {
    out[0] = (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
    return 1;
  }
  if (!(UnicodeFlags(cp) & unicode_data::kHasLowercase)) {
    out[0] = cp;
    return 1;
  }
  return CopyMapping(FindRow(unicode_data::kLowercase, unicode_data::kLowercaseCount, cp), cp, out);
}

}  // namespace fasterbert::text
