#include "pipeline/engine_call_plan.h"

#include <algorithm>
#include <numeric>

namespace fasterbert {

std::vector<EngineCall> PlanEngineCalls(const std::vector<size_t>& row_lengths,
                                        size_t max_batch_tokens, size_t max_rows) {
  std::vector<EngineCall> calls;
  if (row_lengths.empty()) return calls;

  std::vector<size_t> order(row_lengths.size());
  std::iota(order.begin(), order.end(), size_t{0});
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
