// The token budget's planning: which rows of a batch share an engine call.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "pipeline/engine_call_plan.h"

namespace fasterbert {
namespace {

std::vector<std::vector<size_t>> Rows(const std::vector<EngineCall>& calls) {
  std::vector<std::vector<size_t>> rows;
  for (const EngineCall& call : calls) rows.push_back(call.rows);
  return rows;
}

TEST(EngineCallPlanTest, NoRowsNoCalls) {
  EXPECT_TRUE(PlanEngineCalls({}, 0).empty());
  EXPECT_TRUE(PlanEngineCalls({}, 100).empty());
}

TEST(EngineCallPlanTest, NoBudgetIsOneCallInOrder) {
  const std::vector<EngineCall> calls = PlanEngineCalls({5, 9, 3, 9}, 0);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].rows, (std::vector<size_t>{0, 1, 2, 3}));
  EXPECT_EQ(calls[0].seq, 9u);
}

TEST(EngineCallPlanTest, BatchUnderBudgetStaysOneCall) {
  // 4 rows padded to 10 = 40 tokens <= 40.
  const std::vector<EngineCall> calls = PlanEngineCalls({10, 4, 7, 10}, 40);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].seq, 10u);
  EXPECT_EQ(calls[0].rows, (std::vector<size_t>{0, 3, 2, 1}));  // longest first, ties in order
}

TEST(EngineCallPlanTest, SplitsLongestFirstSoShortRowsPadLittle) {
  // Budget 32: the two 16-token rows fill one call; the six 4-token rows
  // share another (6 x 4 = 24) instead of being padded to 16.
  const std::vector<size_t> lengths = {4, 16, 4, 4, 16, 4, 4, 4};
  const std::vector<EngineCall> calls = PlanEngineCalls(lengths, 32);
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].rows, (std::vector<size_t>{1, 4}));
  EXPECT_EQ(calls[0].seq, 16u);
  EXPECT_EQ(calls[1].rows, (std::vector<size_t>{0, 2, 3, 5, 6, 7}));
  EXPECT_EQ(calls[1].seq, 4u);
}

TEST(EngineCallPlanTest, EveryCallIsWithinBudgetAndEveryRowIsPlannedOnce) {
  std::vector<size_t> lengths;
  for (size_t i = 0; i < 200; ++i) lengths.push_back(2 + (i * 37) % 126);
  for (size_t budget : {128u, 300u, 1000u, 4096u, 100000u}) {
    const std::vector<EngineCall> calls = PlanEngineCalls(lengths, budget);
    std::vector<size_t> seen;
    for (const EngineCall& call : calls) {
      ASSERT_FALSE(call.rows.empty());
      EXPECT_LE(call.rows.size() * call.seq, budget);
      size_t longest = 0;
      for (size_t row : call.rows) longest = std::max(longest, lengths[row]);
      EXPECT_EQ(call.seq, longest);
      seen.insert(seen.end(), call.rows.begin(), call.rows.end());
    }
    std::sort(seen.begin(), seen.end());
    ASSERT_EQ(seen.size(), lengths.size()) << "budget " << budget;
    for (size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], i);
  }
}

TEST(EngineCallPlanTest, RowLongerThanBudgetGetsACallOfItsOwn) {
  const std::vector<EngineCall> calls = PlanEngineCalls({3, 50, 3}, 10);
  EXPECT_EQ(Rows(calls), (std::vector<std::vector<size_t>>{{1}, {0, 2}}));
  EXPECT_EQ(calls[0].seq, 50u);
  EXPECT_EQ(calls[1].seq, 3u);
}

TEST(EngineCallPlanTest, BudgetOfOneRowPerCall) {
  const std::vector<EngineCall> calls = PlanEngineCalls({8, 8, 8}, 15);
  EXPECT_EQ(Rows(calls), (std::vector<std::vector<size_t>>{{0}, {1}, {2}}));
}

TEST(EngineCallPlanTest, EngineMaxRowsSplitsABatchWithoutBudget) {
  // An engine that takes at most 2 rows (a TensorRT profile's or an export's
  // max batch): rows in order, 2 at a time, each call padded to its own longest.
  const std::vector<EngineCall> calls = PlanEngineCalls({3, 9, 4, 2, 5}, 0, 2);
  EXPECT_EQ(Rows(calls), (std::vector<std::vector<size_t>>{{0, 1}, {2, 3}, {4}}));
  EXPECT_EQ(calls[0].seq, 9u);
  EXPECT_EQ(calls[1].seq, 4u);
  EXPECT_EQ(calls[2].seq, 5u);
}

TEST(EngineCallPlanTest, EngineMaxRowsAlsoCapsABudgetedCall) {
  // The budget alone would put all six 4-token rows in one call (24 <= 32).
  const std::vector<EngineCall> calls = PlanEngineCalls({4, 4, 4, 4, 4, 4}, 32, 4);
  EXPECT_EQ(Rows(calls), (std::vector<std::vector<size_t>>{{0, 1, 2, 3}, {4, 5}}));
}

// The call cost: the plan's price (calls x cost + padded tokens).
uint64_t Price(const std::vector<EngineCall>& calls, size_t call_cost) {
  uint64_t price = 0;
  for (const EngineCall& call : calls) price += call_cost + call.rows.size() * call.seq;
  return price;
}

TEST(EngineCallPlanTest, CallCostKeepsSimilarLengthsInOneCall) {
  const std::vector<size_t> lengths(64, 20);
  const auto calls = PlanEngineCalls(lengths, 0, 64, 1024);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].rows.size(), 64u);
  EXPECT_EQ(calls[0].seq, 20u);
}

TEST(EngineCallPlanTest, CallCostSplitsLongRowsFromShortOnes) {
  // 8 rows of 250 tokens and 56 of 12: one call pads 64 x 250 = 16000
  // tokens; two calls cost 2 x 1024 + 8 x 250 + 56 x 12 = 4720.
  std::vector<size_t> lengths(56, 12);
  lengths.insert(lengths.begin() + 10, 8, 250);
  const auto calls = PlanEngineCalls(lengths, 0, 64, 1024);
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].seq, 250u);
  EXPECT_EQ(calls[0].rows.size(), 8u);
  EXPECT_EQ(calls[1].seq, 12u);
  EXPECT_EQ(Price(calls, 1024), 4720u);
}

// Against every way of cutting the sorted rows into consecutive calls.
TEST(EngineCallPlanTest, CallCostPlanIsTheCheapestOfAllCuts) {
  std::mt19937 random(7);
  for (int trial = 0; trial < 300; ++trial) {
    const size_t n = 1 + random() % 10;
    std::vector<size_t> lengths(n);
    for (size_t& length : lengths) length = 1 + random() % 256;
    const size_t cost = random() % 2000, budget = random() % 3 == 0 ? 0 : 256 + random() % 2000;
    const size_t max_rows = random() % 2 == 0 ? 0 : 1 + random() % n;
    if (cost == 0) continue;
    const auto calls = PlanEngineCalls(lengths, budget, max_rows, cost);
    std::vector<size_t> sorted = lengths;
    std::stable_sort(sorted.begin(), sorted.end(), std::greater<size_t>());
    uint64_t cheapest = UINT64_MAX;
    for (uint32_t cuts = 0; cuts < (1u << (n - 1)); ++cuts) {  // bit i: a call starts at row i + 1
      uint64_t price = 0;
      bool ok = true;
      for (size_t begin = 0; begin < n && ok;) {
        size_t end = begin + 1;
        while (end < n && !(cuts & (1u << (end - 1)))) ++end;
        const size_t rows = end - begin;
        if ((max_rows != 0 && rows > max_rows) || (budget != 0 && rows > 1 && rows * sorted[begin] > budget)) {
          ok = false;
        }
        price += cost + rows * sorted[begin];
        begin = end;
      }
      if (ok) cheapest = std::min(cheapest, price);
    }
    EXPECT_EQ(Price(calls, cost), cheapest) << "trial " << trial;
    std::vector<size_t> planned;
    for (const EngineCall& call : calls) {
      size_t longest = 0;
      for (size_t row : call.rows) longest = std::max(longest, lengths[row]);
      EXPECT_EQ(call.seq, longest);
      if (max_rows != 0) {
        EXPECT_LE(call.rows.size(), max_rows);
      }
      planned.insert(planned.end(), call.rows.begin(), call.rows.end());
    }
    std::sort(planned.begin(), planned.end());
    for (size_t i = 0; i < n; ++i) ASSERT_EQ(planned[i], i);
  }
}

}  // namespace
}  // namespace fasterbert
