#include "text/bert_normalizer.h"

#include <algorithm>

#include "text/unicode_properties.h"
#include "text/utf8.h"

namespace fasterbert::text {
namespace {

using unicode_data::kChinese;
using unicode_data::kNonspacingMark;
using unicode_data::kRemovedByClean;
using unicode_data::kWhitespace;

bool IsAscii(std::string_view text, size_t begin, size_t end) {
  for (size_t i = begin; i < end; ++i) {
    if (static_cast<unsigned char>(text[i]) >= 0x80) return false;
  }
  return true;
}

}  // namespace

void BertNormalizer::PushLowercased(char32_t cp, uint32_t start, uint32_t end,
                                    std::vector<NormalizedChar>* out) const {
  if (!options_.lowercase) {
    out->push_back({cp, start, end});
    return;
  }
  // Every char of a multi-char mapping (U+0130 -> "i\u0307") keeps the
  // alignment of its source, as HF's NormalizedString::lowercase does.
  char32_t lower[kMaxLowercaseLength];
  const int n = Lowercase(cp, lower);
  for (int i = 0; i < n; ++i) out->push_back({lower[i], start, end});
}

void BertNormalizer::NormalizeAscii(std::string_view text, size_t begin, size_t end,
                                    std::vector<NormalizedChar>* out) const {
  // ASCII has no CJK, no decompositions and no multi-char lowercase.
  for (size_t i = begin; i < end; ++i) {
    char32_t c = static_cast<unsigned char>(text[i]);
    if (options_.clean_text) {
      const uint8_t flags = UnicodeFlags(c);
      if (flags & kRemovedByClean) continue;
      if (flags & kWhitespace) c = ' ';
    }
    if (options_.lowercase && c >= 'A' && c <= 'Z') c += 32;
    out->push_back({c, static_cast<uint32_t>(i), static_cast<uint32_t>(i + 1)});
  }
}

void BertNormalizer::Normalize(std::string_view text, size_t begin, size_t end,
                               NormalizerScratch* scratch,
                               std::vector<NormalizedChar>* out) const {
  out->clear();
  if (IsAscii(text, begin, end)) {
    NormalizeAscii(text, begin, end, out);
    return;
  }
  // Clean text and CJK spacing are char-by-char, and so is lowercasing when
  // accents are kept. Accent stripping needs the whole run (canonical
  // reordering), so it goes through a second pass.
  const bool strip = options_.strip_accents;
  std::vector<NormalizedChar>* stage = strip ? &scratch->stage : out;
  stage->clear();
  size_t pos = begin;
  while (pos < end) {
    char32_t cp;
    const int len = DecodeUtf8(text, pos, &cp);
    const auto start = static_cast<uint32_t>(pos);
    const auto stop = static_cast<uint32_t>(pos + len);
    pos += len;
    const uint8_t flags = UnicodeFlags(cp);
    if (options_.clean_text) {
      if (flags & kRemovedByClean) continue;
      if (flags & kWhitespace) cp = ' ';
    }
    if (options_.handle_chinese_chars && (flags & kChinese)) {
      // HF inserts real spaces, which later stages see; keep it literal.
      stage->push_back({' ', start, stop});
      if (strip) {
        stage->push_back({cp, start, stop});
      } else {
        PushLowercased(cp, start, stop, stage);
      }
      stage->push_back({' ', start, stop});
      continue;
    }
    if (strip) {
      stage->push_back({cp, start, stop});
    } else {
      PushLowercased(cp, start, stop, stage);
    }
  }
  if (strip) StripAccents(*stage, begin, scratch, out);
}

void BertNormalizer::StripAccents(const std::vector<NormalizedChar>& in, size_t begin,
                                  NormalizerScratch* scratch,
                                  std::vector<NormalizedChar>* out) const {
  // NFD: full decomposition, then a stable sort of every run of non-starters
  // by combining class.
  auto& decomposed = scratch->decomposed;
  decomposed.clear();
  for (const NormalizedChar& c : in) {
    char32_t parts[kMaxDecompositionLength];
    const int n = Decompose(c.cp, parts);
    for (int i = 0; i < n; ++i) {
      decomposed.push_back({parts[i], CombiningClass(parts[i]), i > 0});
    }
  }
  for (size_t i = 0; i < decomposed.size();) {
    if (decomposed[i].ccc == 0) {
      ++i;
      continue;
    }
    size_t j = i + 1;
    while (j < decomposed.size() && decomposed[j].ccc != 0) ++j;
    if (j - i > 1) {
      std::stable_sort(decomposed.begin() + i, decomposed.begin() + j,
                       [](const auto& a, const auto& b) { return a.ccc < b.ccc; });
    }
    i = j;
  }
  // Alignments are assigned by position, as HF's NormalizedString::transform
  // does: a char that is the head of a decomposition takes the alignment of
  // the next source char, an added one that of the last source char taken.
  // After reordering, a mark can thus take its neighbour's alignment.
  size_t taken = 0;
  for (const auto& d : decomposed) {
    uint32_t start, stop;
    if (!d.added) {
      start = in[taken].start;
      stop = in[taken].end;
      ++taken;
    } else if (taken > 0) {
      start = in[taken - 1].start;
      stop = in[taken - 1].end;
    } else {
      start = stop = static_cast<uint32_t>(begin);
    }
    if (UnicodeFlags(d.cp) & kNonspacingMark) continue;
    PushLowercased(d.cp, start, stop, out);
  }
}

}  // namespace fasterbert::text
