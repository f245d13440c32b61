// Splits the rows of one dynamic batch into engine calls under a token
// budget, the way TEI's --max-batch-tokens does: an engine call costs
// rows x longest row (rows are padded to the longest of their call), and no
// call may cost more than the budget. A pure function, so the policy is
// unit-tested without an engine.
#pragma once

#include <cstddef>
#include <vector>

namespace fasterbert {

struct EngineCall {
  std::vector<size_t> rows;  // indices into the row lengths given to PlanEngineCalls
  size_t seq = 0;            // the longest of those rows: what the call pads to
};

// `row_lengths[i]` is row i's token count (with special tokens).
// `max_batch_tokens` == 0 means no budget: one call with every row, in order.
// Otherwise rows are taken longest first (ties keep their order) and packed
// greedily while rows x longest <= max_batch_tokens, so rows of similar length
// share a call and pad little. A row longer than the budget on its own still
// gets a call of its own rather than an error. `max_rows` > 0 caps the rows
// of one call (the engine's largest batch) with or without a budget. Empty
// input: no calls.
//
// `call_cost_tokens` > 0 prices the fixed cost of one engine call (launches,
// synchronisation) in tokens of padded work: rows are then taken longest
// first and cut into the calls that minimise the sum over calls of
// call_cost_tokens + rows x longest, under the same budget and row cap. A
// batch of similar lengths stays one call; a batch mixing short and long
// rows is split where the padding saved outweighs another call (an exact
// dynamic programme over the sorted rows, O(rows^2)).
std::vector<EngineCall> PlanEngineCalls(const std::vector<size_t>& row_lengths,
                                        size_t max_batch_tokens, size_t max_rows = 0,
                                        size_t call_cost_tokens = 0);

}  // namespace fasterbert
