#include "pipeline/engine_call_plan.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <numeric>

namespace fasterbert {

namespace {

// The cheapest cut of rows sorted longest first into consecutive calls: a
// call of rows [i, j) pads to the length of row i and costs
// call_cost_tokens + (j - i) x that length.
std::vector<EngineCall> CheapestCalls(const std::vector<size_t>& order,
                                      const std::vector<size_t>& row_lengths,
                                      size_t max_batch_tokens, size_t max_rows,
                                      size_t call_cost_tokens) {
  const size_t n = order.size();
  constexpr uint64_t kNone = std::numeric_limits<uint64_t>::max();
  std::vector<uint64_t> best(n + 1, kNone);  // best[j]: cheapest plan of the first j rows
  std::vector<size_t> cut(n + 1, 0);         // where that plan's last call starts
  best[0] = 0;
  for (size_t j = 1; j <= n; ++j) {
    for (size_t i = j; i-- > 0;) {
      const size_t rows = j - i;
      if (max_rows != 0 && rows > max_rows) break;
      const uint64_t padded = static_cast<uint64_t>(rows) * row_lengths[order[i]];
      // A row over the budget on its own still gets its call.
      if (max_batch_tokens != 0 && rows > 1 && padded > max_batch_tokens) continue;
      if (best[i] == kNone) continue;
      const uint64_t cost = best[i] + call_cost_tokens + padded;
      if (cost < best[j]) {
        best[j] = cost;
        cut[j] = i;
      }
    }
  }
  std::vector<EngineCall> calls;
  for (size_t j = n; j > 0; j = cut[j]) {
    EngineCall call;
    call.rows.assign(order.begin() + static_cast<std::ptrdiff_t>(cut[j]),
                     order.begin() + static_cast<std::ptrdiff_t>(j));
    call.seq = row_lengths[order[cut[j]]];
    calls.push_back(std::move(call));
  }
  std::reverse(calls.begin(), calls.end());
  return calls;
}

}  // namespace

std::vector<EngineCall> PlanEngineCalls(const std::vector<size_t>& row_lengths,
                                        size_t max_batch_tokens, size_t max_rows,
                                        size_t call_cost_tokens) {
  std::vector<EngineCall> calls;
  if (row_lengths.empty()) return calls;

  std::vector<size_t> order(row_lengths.size());
  std::iota(order.begin(), order.end(), size_t{0});
  if (call_cost_tokens != 0) {
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return row_lengths[a] > row_lengths[b]; });
    return CheapestCalls(order, row_lengths, max_batch_tokens, max_rows, call_cost_tokens);
  }
  if (max_batch_tokens == 0) {
    // No budget: rows in order, max_rows at a time.
    const size_t per_call = max_rows == 0 ? order.size() : max_rows;
    for (size_t begin = 0; begin < order.size(); begin += per_call) {
      EngineCall call;
      call.rows.assign(order.begin() + static_cast<std::ptrdiff_t>(begin),
                       order.begin() + static_cast<std::ptrdiff_t>(std::min(begin + per_call, order.size())));
      for (size_t row : call.rows) call.seq = std::max(call.seq, row_lengths[row]);
      calls.push_back(std::move(call));
    }
    return calls;
  }

  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return row_lengths[a] > row_lengths[b]; });
  for (size_t row : order) {
    // Longest first: a row joining a call never raises its padded length.
    EngineCall* open = calls.empty() ? nullptr : &calls.back();
    if (open != nullptr && (open->rows.size() + 1) * open->seq <= max_batch_tokens &&
        (max_rows == 0 || open->rows.size() < max_rows)) {
      open->rows.push_back(row);
      continue;
    }
    EngineCall call;
    call.rows.push_back(row);
    call.seq = row_lengths[row];
    calls.push_back(std::move(call));
  }
  return calls;
}

}  // namespace fasterbert
