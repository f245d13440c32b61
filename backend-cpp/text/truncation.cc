#include "text/truncation.h"

#include <algorithm>
#include <string>
#include <utility>

#include "text/errors.h"

namespace fasterbert::text {

std::string_view TruncationName(Truncation truncation) {
  switch (truncation) {
    case Truncation::kLongestFirst: return "longest_first";
    case Truncation::kOnlyFirst: return "only_first";
    case Truncation::kOnlySecond: return "only_second";
    case Truncation::kDoNotTruncate: return "do_not_truncate";
  }
  return "unknown";
}

std::optional<Truncation> ParseTruncation(std::string_view name) {
  for (Truncation t : {Truncation::kLongestFirst, Truncation::kOnlyFirst, Truncation::kOnlySecond,
                       Truncation::kDoNotTruncate}) {
    if (TruncationName(t) == name) return t;
  }
  return std::nullopt;
}

KeptLengths ComputeTruncation(size_t first, std::optional<size_t> second, size_t budget,
                              Truncation truncation) {
  const size_t total = first + second.value_or(0);
  if (truncation == Truncation::kDoNotTruncate) {
    if (total > budget) {
      throw TextTooLongError("input has " + std::to_string(total) +
                             " tokens besides the special tokens, but only " +
                             std::to_string(budget) + " fit in max_length (truncation is off)");
    }
    return {first, second.value_or(0)};
  }
  // HF quirk: with no room at all, every sequence is emptied whatever the
  // strategy, before any strategy check (so even kOnlySecond on one text).
  if (budget == 0) return {0, 0};
  if (total <= budget) return {first, second.value_or(0)};
  const size_t excess = total - budget;

  switch (truncation) {
    case Truncation::kLongestFirst: {
      if (!second) return {budget, 0};
      // Keep the shorter one whole if the longer can absorb the excess,
      // else split the budget in halves, the longer getting the odd token.
      size_t shorter = first, longer = *second;
      const bool swapped = shorter > longer;
      if (swapped) std::swap(shorter, longer);
      longer = shorter > budget ? shorter : std::max(shorter, budget - shorter);
      if (shorter + longer > budget) {
        shorter = budget / 2;
        longer = shorter + budget % 2;
      }
      if (swapped) std::swap(shorter, longer);
      return {std::min(first, shorter), std::min(*second, longer)};
    }
    case Truncation::kOnlyFirst:
      if (first <= excess) {
        throw TextTooLongError("the first text has " + std::to_string(first) +
                               " tokens, too few to remove the " + std::to_string(excess) +
                               " that do not fit in max_length (truncation only_first)");
      }
      return {first - excess, second.value_or(0)};
    case Truncation::kOnlySecond:
      if (!second) {
        throw TextTooLongError("the text does not fit in max_length and truncation only_second "
                               "needs a second text to truncate");
      }
      if (*second <= excess) {
        throw TextTooLongError("the second text has " + std::to_string(*second) +
                               " tokens, too few to remove the " + std::to_string(excess) +
                               " that do not fit in max_length (truncation only_second)");
      }
      return {first, *second - excess};
    case Truncation::kDoNotTruncate:
      break;
  }
  return {first, second.value_or(0)};
}

}  // namespace fasterbert::text
