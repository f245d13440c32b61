#include "pipeline/engine_call_plan.h"

#include <algorithm>
#include <numeric>

namespace fasterbert {

std::vector<EngineCall> PlanEngineCalls(const std::vector<size_t>& row_lengths,
                                        size_t max_batch_tokens) {
  std::vector<EngineCall> calls;
  if (row_lengths.empty()) return calls;

  std::vector<size_t> order(row_lengths.size());
  std::iota(order.begin(), order.end(), size_t{0});
  if (max_batch_tokens == 0) {
    EngineCall all;
    all.rows = std::move(order);
    all.seq = *std::max_element(row_lengths.begin(), row_lengths.end());
    calls.push_back(std::move(all));
    return calls;
  }

  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return row_lengths[a] > row_lengths[b]; });
  for (size_t row : order) {
    // Longest first: a row joining a call never raises its padded length.
    EngineCall* open = calls.empty() ? nullptr : &calls.back();
    if (open != nullptr && (open->rows.size() + 1) * open->seq <= max_batch_tokens) {
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
