// Truncation to max_length as HF's truncate_encodings decides it (stride 0,
// truncating on the right), plus kDoNotTruncate, which turns an over-long
// input into an error instead.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace fasterbert::text {

enum class Truncation { kLongestFirst, kOnlyFirst, kOnlySecond, kDoNotTruncate };

// "longest_first", "only_first", "only_second", "do_not_truncate".
std::string_view TruncationName(Truncation truncation);
std::optional<Truncation> ParseTruncation(std::string_view name);

struct KeptLengths {
  size_t first;
  size_t second;
};

// How many tokens to keep of the first sequence (length `first`) and of the
// second one (`second`, nullopt for a single sequence) so that they fit in
// `budget` tokens, i.e. max_length minus the special tokens. Throws
// TextTooLongError where HF fails: kOnlyFirst/kOnlySecond when the chosen
// sequence is too short to absorb the excess, kOnlySecond without a second
// sequence, and kDoNotTruncate whenever the input does not fit.
KeptLengths ComputeTruncation(size_t first, std::optional<size_t> second, size_t budget,
                              Truncation truncation);

}  // namespace fasterbert::text
