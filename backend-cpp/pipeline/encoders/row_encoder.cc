#include "pipeline/encoders/row_encoder.h"

#include <utility>

namespace fasterbert {

RowEncoder::RowEncoder(const PipelineSpec& spec, const text::Tokenizer& tokenizer,
                       const engines::ShapeLimits& limits)
    : Encoder(spec, tokenizer, limits), parallel_rows_(spec.tokenize_threads) {}

bool RowEncoder::TokenizesInParallel(const std::vector<TextRow>& rows) const {
  if (parallel_rows_.threads() == 1) return false;
  // Waking threads costs tens of microseconds: on the H100 host 16 long
  // texts (15 KB) or 64 short ones (4 KB) tokenize no faster on 4 threads,
  // 64 long ones (62 KB) do 1.8x (bench/reports/2026-11-23-h100.md).
  constexpr size_t kParallelBytes = 32 * 1024;
  size_t bytes = 0;
  for (const TextRow& row : rows) bytes += row.text.size() + row.second.size();
  return bytes >= kParallelBytes;
}

void RowEncoder::Encode(const std::vector<TextRow>& rows, EngineRows* out, BatchResult* result) {
  std::vector<EngineRow>& engine_rows = out->rows;
  while (engine_rows.size() < rows.size()) engine_rows.emplace_back();
  // Each text row encodes into its own engine row (and writes only its own
  // error), so rows may run on the instance's tokenizer threads.
  auto encode = [&](size_t r) {
    EngineRow& engine_row = engine_rows[r];
    engine_row.row = r;
    engine_row.first_context = 0;
    engine_row.context_tokens = 0;
    engine_row.encoding.Clear();
    std::string error = CheckRow(rows[r]);
    if (error.empty()) {
      error = Guarded(r, [&] {
        EncodeRow(rows[r], &engine_row.encoding);
        return CheckEngineLength(engine_row.encoding.size());
      }, result);
    }
    result->errors[r] = std::move(error);
  };
  if (TokenizesInParallel(rows)) {
    parallel_rows_.Run(rows.size(), encode);
  } else {
    for (size_t r = 0; r < rows.size(); ++r) encode(r);
  }
  // The good rows' engine rows to the front, in row order.
  out->count = 0;
  for (size_t r = 0; r < rows.size(); ++r) {
    if (!result->errors[r].empty()) continue;
    if (out->count != r) std::swap(engine_rows[out->count], engine_rows[r]);
    ++out->count;
  }
}

}  // namespace fasterbert
