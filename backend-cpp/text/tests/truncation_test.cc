#include "text/truncation.h"

#include <gtest/gtest.h>

#include "text/errors.h"

namespace fasterbert::text {
namespace {

void ExpectKept(size_t first, std::optional<size_t> second, size_t budget, Truncation t,
                size_t kept_first, size_t kept_second) {
  const KeptLengths kept = ComputeTruncation(first, second, budget, t);
  EXPECT_EQ(kept.first, kept_first) << first << "+" << second.value_or(0) << " in " << budget;
  EXPECT_EQ(kept.second, kept_second) << first << "+" << second.value_or(0) << " in " << budget;
}

TEST(TruncationTest, NamesRoundTrip) {
  for (Truncation t : {Truncation::kLongestFirst, Truncation::kOnlyFirst, Truncation::kOnlySecond,
                       Truncation::kDoNotTruncate}) {
    EXPECT_EQ(ParseTruncation(TruncationName(t)), t);
  }
  EXPECT_EQ(ParseTruncation("longest"), std::nullopt);
}

TEST(TruncationTest, NothingToDoWhenItFits) {
  for (Truncation t : {Truncation::kLongestFirst, Truncation::kOnlyFirst, Truncation::kOnlySecond,
                       Truncation::kDoNotTruncate}) {
    ExpectKept(4, 4, 8, t, 4, 4);
    ExpectKept(5, std::nullopt, 5, t, 5, 0);
  }
}

TEST(TruncationTest, LongestFirstSingleKeepsThePrefix) {
  ExpectKept(10, std::nullopt, 5, Truncation::kLongestFirst, 5, 0);
}

TEST(TruncationTest, LongestFirstPairCutsTheLongerWhenThatSuffices) {
  ExpectKept(2, 10, 7, Truncation::kLongestFirst, 2, 5);
  ExpectKept(10, 2, 7, Truncation::kLongestFirst, 5, 2);
}

TEST(TruncationTest, LongestFirstPairSplitsBudgetWhenBothAreLong) {
  // Halves; with an odd budget the longer sequence gets the extra token.
  ExpectKept(10, 5, 7, Truncation::kLongestFirst, 4, 3);
  ExpectKept(5, 10, 7, Truncation::kLongestFirst, 3, 4);
  ExpectKept(6, 6, 7, Truncation::kLongestFirst, 3, 4);  // a tie counts the second as longer
  ExpectKept(6, 6, 8, Truncation::kLongestFirst, 4, 4);
  ExpectKept(3, 3, 1, Truncation::kLongestFirst, 0, 1);
}

TEST(TruncationTest, OnlyFirstRemovesTheExcessFromTheFirst) {
  ExpectKept(5, 3, 4, Truncation::kOnlyFirst, 1, 3);
  ExpectKept(10, std::nullopt, 4, Truncation::kOnlyFirst, 4, 0);
  // HF fails unless the first keeps at least one token.
  EXPECT_THROW(ComputeTruncation(2, 5, 4, Truncation::kOnlyFirst), TextTooLongError);
  EXPECT_THROW(ComputeTruncation(3, 5, 5, Truncation::kOnlyFirst), TextTooLongError);
}

TEST(TruncationTest, OnlySecondRemovesTheExcessFromTheSecond) {
  ExpectKept(3, 5, 4, Truncation::kOnlySecond, 3, 1);
  EXPECT_THROW(ComputeTruncation(5, 2, 4, Truncation::kOnlySecond), TextTooLongError);
  EXPECT_THROW(ComputeTruncation(9, std::nullopt, 4, Truncation::kOnlySecond), TextTooLongError);
}

TEST(TruncationTest, DoNotTruncateFailsWhenOverlong) {
  EXPECT_THROW(ComputeTruncation(9, std::nullopt, 8, Truncation::kDoNotTruncate), TextTooLongError);
  EXPECT_THROW(ComputeTruncation(4, 5, 8, Truncation::kDoNotTruncate), TextTooLongError);
  ExpectKept(0, 0, 0, Truncation::kDoNotTruncate, 0, 0);
  EXPECT_THROW(ComputeTruncation(1, std::nullopt, 0, Truncation::kDoNotTruncate), TextTooLongError);
}

// HF empties every sequence when no room is left, before looking at the
// strategy: even only_second on a single text does not fail then.
TEST(TruncationTest, HfQuirkZeroBudgetEmptiesEverything) {
  ExpectKept(3, std::nullopt, 0, Truncation::kOnlySecond, 0, 0);
  ExpectKept(3, 4, 0, Truncation::kOnlyFirst, 0, 0);
  ExpectKept(3, 4, 0, Truncation::kLongestFirst, 0, 0);
}

}  // namespace
}  // namespace fasterbert::text
