// SentencePiece's precompiled_charsmap (the `Precompiled` normalizer of a
// tokenizer.json), read and applied as HF tokenizers does: the base64 blob
// is a little-endian u32 byte size of a double-array trie, the trie's u32
// units, then NUL-terminated replacement strings the trie's values point
// into. Text is walked by grapheme cluster: a cluster under 6 bytes whose
// bytes start with a trie key is replaced whole by that key's string (HF
// takes the SHORTEST matching prefix, as its spm_precompiled does); else
// each char is looked up on its own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "text/normalized_string.h"

namespace fasterbert::text {

class PrecompiledCharsmap {
 public:
  // Throws std::runtime_error (with `where` in the message) on a bad blob.
  static PrecompiledCharsmap FromBase64(std::string_view base64, const std::string& where);

  // The replacement for `chunk` (see above), or nullopt.
  std::optional<std::string_view> Transform(std::string_view chunk) const;
  void Normalize(NormalizedString* s) const;

 private:
  // Every grapheme through the changes list, as HF (see Normalize).
  void NormalizeWhole(NormalizedString* s) const;

  // Per BMP char (kBmpFlags): what Normalize needs to know to treat the
  // char as a cluster of its own without segmenting graphemes.
  enum : uint8_t {
    kMapped = 1,       // Transform of the char alone gives a value
    kEndsCluster = 2,  // Other, Control or LF: a cluster ends after it unless
                       // the next char joins it
    kJoins = 4,        // Extend, ZWJ or SpacingMark: joins an Other before it
  };
  static constexpr size_t kBmpFlags = 0x10000;

  std::vector<uint32_t> trie_;
  std::vector<uint8_t> bmp_flags_;
  // An ASCII char that is a cluster of its own before another ASCII char
  // and that the charsmap leaves alone (all printable ASCII in XLM-R's).
  bool ascii_plain_[0x100] = {};
  std::string normalized_;
};

// End (exclusive) of the extended grapheme cluster that starts at text[pos]
// (UAX #29 rules GB3-GB13), text valid UTF-8.
size_t GraphemeEnd(std::string_view text, size_t pos);

}  // namespace fasterbert::text
