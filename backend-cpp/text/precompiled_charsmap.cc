#include "text/precompiled_charsmap.h"

#include <stdexcept>
#include <vector>

#include "text/grapheme_break.h"
#include "text/utf8.h"

namespace fasterbert::text {
namespace {

std::string DecodeBase64(std::string_view in, const std::string& where) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  out.reserve(in.size() / 4 * 3);
  uint32_t bits = 0;
  int count = 0;
  for (char c : in) {
    if (c == '=') break;
    const int v = value(c);
    if (v < 0) throw std::runtime_error(where + ": invalid base64");
    bits = (bits << 6) | static_cast<uint32_t>(v);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push_back(static_cast<char>((bits >> count) & 0xFF));
    }
  }
  return out;
}

// Double-array units (Darts-clone's layout, as sentencepiece writes it).
inline bool HasLeaf(uint32_t unit) { return (unit >> 8) & 1; }
inline uint32_t Value(uint32_t unit) { return unit & ((1u << 31) - 1); }
inline uint32_t Label(uint32_t unit) { return unit & ((1u << 31) | 0xFF); }
inline uint32_t Offset(uint32_t unit) { return (unit >> 10) << ((unit & (1u << 9)) >> 6); }

}  // namespace

PrecompiledCharsmap PrecompiledCharsmap::FromBase64(std::string_view base64,
                                                    const std::string& where) {
  const std::string blob = DecodeBase64(base64, where);
  if (blob.size() < 4) throw std::runtime_error(where + ": precompiled_charsmap too short");
  const auto* p = reinterpret_cast<const uint8_t*>(blob.data());
  const uint32_t trie_bytes = p[0] | (p[1] << 8) | (p[2] << 16) | (uint32_t{p[3]} << 24);
  if (trie_bytes % 4 != 0 || trie_bytes > blob.size() - 4 || trie_bytes == 0) {
    throw std::runtime_error(where + ": precompiled_charsmap has a bad trie size");
  }
  PrecompiledCharsmap map;
  map.trie_.resize(trie_bytes / 4);
  for (size_t i = 0; i < map.trie_.size(); ++i) {
    const uint8_t* u = p + 4 + 4 * i;
    map.trie_[i] = u[0] | (u[1] << 8) | (u[2] << 16) | (uint32_t{u[3]} << 24);
  }
  map.normalized_ = blob.substr(4 + trie_bytes);
  map.bmp_flags_.assign(kBmpFlags, 0);
  std::string utf8;
  for (char32_t c = 1; c < kBmpFlags; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;  // surrogates: not chars
    utf8.clear();
    AppendUtf8(c, &utf8);
    uint8_t flags = map.Transform(utf8).has_value() ? kMapped : 0;
    const GraphemeBreak g = GraphemeBreakOf(c);
    if (g == GraphemeBreak::kOther || g == GraphemeBreak::kControl || g == GraphemeBreak::kLf) {
      flags |= kEndsCluster;
    }
    if (g == GraphemeBreak::kExtend || g == GraphemeBreak::kZwj ||
        g == GraphemeBreak::kSpacingMark) {
      flags |= kJoins;
    }
    map.bmp_flags_[c] = flags;
    if (c < 0x80) map.ascii_plain_[c] = flags == kEndsCluster;
  }
  return map;
}

std::optional<std::string_view> PrecompiledCharsmap::Transform(std::string_view chunk) const {
  // The first (shortest) key that is a prefix of chunk.
  size_t node = Offset(trie_[0]);
  for (char ch : chunk) {
    const uint8_t c = static_cast<uint8_t>(ch);
    if (c == 0) break;
    node ^= c;
    if (node >= trie_.size()) return std::nullopt;
    const uint32_t unit = trie_[node];
    if (Label(unit) != c) return std::nullopt;
    node ^= Offset(unit);
    if (node >= trie_.size()) return std::nullopt;
    if (HasLeaf(unit)) {
      const size_t start = Value(trie_[node]);
      if (start > normalized_.size()) return std::nullopt;
      size_t stop = normalized_.find('\0', start);
      if (stop == std::string::npos) stop = normalized_.size();
      return std::string_view(normalized_).substr(start, stop - start);
    }
  }
  return std::nullopt;
}

void PrecompiledCharsmap::Normalize(NormalizedString* s) const {
  // Most chars map to nothing: only the stretches that change become edits,
  // applied in one pass. A stretch mapped to "" folds its removal into the
  // change before it, which may belong to a kept char or an earlier
  // stretch: that case takes NormalizeWhole, HF's rule as it is.
  const std::string& text = s->get();
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  thread_local std::vector<NormalizedString::Edit> edits;
  thread_local std::vector<NormalizedString::Change> changes;
  edits.clear();
  changes.clear();
  auto edit = [&](size_t begin, std::string_view old_part, std::string_view new_part) {
    const size_t first = changes.size();
    int32_t old_count = 0, new_count = 0;
    for (size_t i = 0; i < old_part.size(); i += Utf8SequenceLength(static_cast<unsigned char>(old_part[i]))) {
      ++old_count;
    }
    for (size_t i = 0; i < new_part.size();) {
      char32_t c;
      i += DecodeUtf8(new_part, i, &c);
      changes.push_back({c, 0});
      ++new_count;
    }
    const int32_t diff = new_count - old_count;
    if (diff > 0) {
      for (int32_t k = 0; k < diff; ++k) changes[changes.size() - 1 - k].change = 1;
    } else if (diff < 0) {
      changes.back().change += diff;
    }
    edits.push_back({begin, begin + old_part.size(), first, changes.size(), 0});
  };
  // The BMP flags of the char at text[at] (its length in *length), or 0
  // past the BMP.
  auto flags_at = [&](size_t at, size_t* length) -> uint8_t {
    if (bytes[at] < 0x80) {
      *length = 1;
      return bmp_flags_[bytes[at]];
    }
    char32_t cp;
    *length = static_cast<size_t>(DecodeUtf8(text, at, &cp));
    return cp < kBmpFlags ? bmp_flags_[cp] : 0;
  };
  for (size_t pos = 0; pos < text.size();) {
    // ASCII runs (most of most texts) with one table read per byte.
    while (pos + 1 < text.size() && bytes[pos + 1] < 0x80 && ascii_plain_[bytes[pos]]) ++pos;
    // Most chars are a cluster of their own (an Other, Control or LF char
    // not followed by a joiner: GB4, GB5 and GB999 of UAX #29); such a
    // cluster is Transform of that one char, which the flags already say.
    size_t length;
    const uint8_t flags = flags_at(pos, &length);
    if (flags & kEndsCluster) {
      size_t next_length;
      if (pos + length == text.size() || !(flags_at(pos + length, &next_length) & kJoins)) {
        if (flags & kMapped) {
          const std::string_view one(text.data() + pos, length);
          const std::string_view norm = *Transform(one);
          if (norm.empty()) return NormalizeWhole(s);
          edit(pos, one, norm);
        }
        pos += length;
        continue;
      }
    }
    const size_t end = GraphemeEnd(text, pos);
    const std::string_view grapheme(text.data() + pos, end - pos);
    std::optional<std::string_view> whole;
    if (grapheme.size() < 6) whole = Transform(grapheme);
    if (whole) {
      if (whole->empty()) return NormalizeWhole(s);
      edit(pos, grapheme, *whole);
    } else {
      for (size_t i = 0; i < grapheme.size();) {
        const size_t n = Utf8SequenceLength(static_cast<unsigned char>(grapheme[i]));
        const std::string_view part = grapheme.substr(i, n);
        if (const auto norm = Transform(part)) {
          if (norm->empty()) return NormalizeWhole(s);
          edit(pos + i, part, *norm);
        }
        i += n;
      }
    }
    pos = end;
  }
  s->TransformRanges(edits, changes);
}

void PrecompiledCharsmap::NormalizeWhole(NormalizedString* s) const {

  const std::string& text = s->get();
  std::vector<NormalizedString::Change> changes;
  changes.reserve(text.size());
  bool modified = false;
  // HF's `replace`: the new chars replace, extra ones are inserted, and a
  // shorter result folds the removal into the last change written so far.
  auto replace = [&](std::string_view old_part, std::string_view new_part) {
    int32_t old_count = 0, new_count = 0;
    for (size_t i = 0; i < old_part.size();) {
      char32_t c;
      i += DecodeUtf8(old_part, i, &c);
      ++old_count;
    }
    for (size_t i = 0; i < new_part.size();) {
      char32_t c;
      i += DecodeUtf8(new_part, i, &c);
      changes.push_back({c, 0});
      ++new_count;
    }
    const int32_t diff = new_count - old_count;
    if (diff > 0) {
      for (int32_t k = 0; k < diff; ++k) changes[changes.size() - 1 - k].change = 1;
    } else if (diff < 0 && !changes.empty()) {
      changes.back().change += diff;
    }
  };
  for (size_t pos = 0; pos < text.size();) {
    const size_t end = GraphemeEnd(text, pos);
    const std::string_view grapheme(text.data() + pos, end - pos);
    std::optional<std::string_view> whole;
    if (grapheme.size() < 6) whole = Transform(grapheme);
    if (whole) {
      modified = true;
      replace(grapheme, *whole);
    } else {
      for (size_t i = 0; i < grapheme.size();) {
        char32_t c;
        const size_t n = DecodeUtf8(grapheme, i, &c);
        const std::string_view part = grapheme.substr(i, n);
        if (const auto norm = Transform(part)) {
          modified = true;
          replace(part, *norm);
        } else {
          changes.push_back({c, 0});
        }
        i += n;
      }
    }
    pos = end;
  }
  if (modified) s->Transform(changes, 0);
}

namespace {

// GraphemeBreakOf for the BMP from a table (every non-ASCII char of a text
// is looked up, and the ranges take a binary search).
GraphemeBreak FastGraphemeBreakOf(char32_t cp) {
  static const std::vector<GraphemeBreak> bmp = [] {
    std::vector<GraphemeBreak> table(0x10000);
    for (char32_t c = 0; c < 0x10000; ++c) table[c] = GraphemeBreakOf(c);
    return table;
  }();
  return cp < 0x10000 ? bmp[cp] : GraphemeBreakOf(cp);
}

}  // namespace

size_t GraphemeEnd(std::string_view text, size_t pos) {
  char32_t cp;
  size_t i = pos + DecodeUtf8(text, pos, &cp);
  GraphemeBreak prev = FastGraphemeBreakOf(cp);
  // GB11 state: inside ExtPict Extend* (ZWJ)?
  bool pictographic_run = prev == GraphemeBreak::kExtendedPictographic;
  size_t regional_count = prev == GraphemeBreak::kRegionalIndicator ? 1 : 0;
  while (i < text.size()) {
    char32_t next_cp;
    const size_t n = DecodeUtf8(text, i, &next_cp);
    const GraphemeBreak next = FastGraphemeBreakOf(next_cp);
    if (!GraphemeJoins(prev, next, pictographic_run, regional_count)) break;
    if (next == GraphemeBreak::kExtendedPictographic) {
      pictographic_run = true;
    } else if ((next != GraphemeBreak::kExtend && next != GraphemeBreak::kZwj) ||
               prev == GraphemeBreak::kZwj) {
      pictographic_run = false;
    }
    regional_count = next == GraphemeBreak::kRegionalIndicator ? regional_count + 1 : 0;
    prev = next;
    i += n;
  }
  return i;
}

}  // namespace fasterbert::text
