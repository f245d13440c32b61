#include "pipeline/heads/token_count.h"

namespace fasterbert {

void TokenCountHead::StartBatch(const std::vector<TextRow>& /*rows*/, const EngineRows& engine_rows,
                                BatchResult* result) {
  for (size_t w = 0; w < engine_rows.count; ++w) {
    const EngineRow& engine_row = engine_rows[w];
    // A row's first engine row carries its token count.
    if (w > 0 && engine_rows[w - 1].row == engine_row.row) continue;
    for (size_t i : wanted_) {
      result->outputs[i].int64[engine_row.row] = static_cast<int64_t>(engine_row.encoding.size());
    }
  }
}

}  // namespace fasterbert
