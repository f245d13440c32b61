// HF tokenizers' Unicode normalization forms (NFD, NFKD, NFC, NFKC) as the
// crate it uses, unicode-normalization-alignments 0.1.12 (Unicode 9.0
// tables, see tools/gen_normalization_tables.py), computes them: each
// output char comes with its change count, which NormalizedString::Transform
// turns into HF's alignments.
#pragma once

#include <string_view>
#include <vector>

#include "text/normalized_string.h"

namespace fasterbert::text {

enum class NormalizationForm { kNfd, kNfkd, kNfc, kNfkc };

constexpr int kMaxCompatibilityLength = 18;  // longest full compatibility decomposition

// Writes the full compatibility decomposition of cp (its canonical one when
// it has no compatibility mapping; itself when neither) to
// out[0..kMaxCompatibilityLength), not yet in canonical order, and returns
// its length.
int DecomposeCompatible(char32_t cp, char32_t* out);

// The primary composite of the pair (Hangul included), or 0 when the pair
// does not compose.
char32_t Compose(char32_t first, char32_t second);

// The crate's (char, change) output for `text` (valid UTF-8): decomposed
// chars are the first replacing the original char (0) and the rest inserted
// (1), reordered canonically with their changes; a composite takes the
// change of its first part plus the second's, minus one.
std::vector<NormalizedString::Change> NormalizationChanges(std::string_view text,
                                                           NormalizationForm form);

}  // namespace fasterbert::text
