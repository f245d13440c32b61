// The vocabulary the pipeline's loop, its encoders and its heads share: the
// text rows of one dynamic batch, the engine rows an encoder makes of them,
// and the results (per row, or per request) the caller writes out. It sits
// below all three, so an encoder or a head never includes the loop.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/pipeline_spec.h"
#include "text/bert_tokenizer.h"

namespace fasterbert {

// One batch row's texts: `text` alone, question (`text`) and context
// (`second`), or query (`text`) and one passage (`second`).
struct TextRow {
  std::string_view text;
  std::string_view second;
  // The request the row belongs to (one request's rows are consecutive).
  // Only outputs laid out per request (reranking's top indices) read it.
  size_t request = 0;
};

// One row of an engine call: a whole text row, or one context window of a
// question's context.
struct EngineRow {
  size_t row = 0;             // the text row it was made from
  size_t first_context = 0;   // question + context: position of the window's first context token
  size_t context_tokens = 0;  // question + context: how many context tokens the window holds
  text::Encoding encoding;
};

// The batch's engine rows: rows[0, count), the good text rows' in text-row
// order (one text row's are consecutive). Rows past `count` are scratch kept
// for the capacity of their encodings, so steady serving does not allocate.
struct EngineRows {
  std::vector<EngineRow> rows;
  size_t count = 0;

  // Appends an empty engine row made from text row `row`.
  EngineRow& Add(size_t row);
  const EngineRow& operator[](size_t i) const { return rows[i]; }
};

// Where one request's values of an output sit, and the tensor they make.
enum class OutputLayout {
  kPerRow,      // `dim` values per text row: the request's rows, [rows, dim]
  kRowsAsList,  // one value per text row: the request's rows side by side, [1, rows]
  kPerRequest,  // `dim` values per request, at TextRow::request: [1, dim]
};

// The values of one output for the whole batch, in the member that matches
// its data type; rows (or requests) with an error hold zeros or "".
struct OutputValues {
  OutputLayout layout = OutputLayout::kPerRow;
  std::vector<float> fp32;
  std::vector<int64_t> int64;
  std::vector<std::string> bytes;

  // Empties every member (keeping their capacity); the layout goes back to kPerRow.
  void Clear();
  // `size` zeros (or "") in the member of `type`; the others emptied.
  void Reset(DataType type, size_t size);
};

// The steps that can fail on our side (BatchResult::failed_step).
inline constexpr char kTokenizeStep[] = "tokenize";
inline constexpr char kEngineStep[] = "engine";

struct BatchResult {
  std::vector<std::string> errors;    // per row; empty string: the row succeeded
  // Per row with an error: the step that failed on our side ("engine",
  // "tokenize"), or nullptr when the request itself was at fault.
  // Callers answer the first with INTERNAL (500), the second with INVALID_ARG.
  std::vector<const char*> failed_step;
  std::vector<OutputValues> outputs;  // per spec output; empty when not wanted
  // When every row was tokenized (the engine inputs start): splits Triton's
  // compute_input (decode + tokenize) from compute_infer (engine + post-processing).
  std::chrono::steady_clock::time_point tokenized_at;
  size_t engine_calls = 0;  // more than one when the batch exceeded max_batch_tokens

  // Marks a row failed on our side (an engine error, NaN or Inf from the
  // engine); the row's first failure stands.
  void FailRow(size_t row, const char* step, std::string message);
};

}  // namespace fasterbert
