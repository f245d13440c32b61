// Runs one dynamic batch through tokenize -> pack -> engine -> the outputs'
// post-processing (pooling/normalize, class scores and labels, QA span
// decoding). Owns per-row error isolation: a bad row gets its own error and
// is left out of the engine call; the other rows go on.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engines/engine.h"
#include "pipeline/device_outputs.h"
#include "pipeline/engine_outputs.h"
#include "pipeline/parallel_rows.h"
#include "pipeline/token_outputs.h"
#include "pipeline/pipeline_spec.h"
#include "text/bert_tokenizer.h"

namespace fasterbert {

// One batch row's texts: `text` alone, or question (`text`) and context (`second`).
struct TextRow {
  std::string_view text;
  std::string_view second;
};

// The values of one output for every row of the batch, [rows, dim] in the
// member that matches its data type; rows with an error hold zeros or "".
struct OutputValues {
  std::vector<float> fp32;
  std::vector<int64_t> int64;
  std::vector<std::string> bytes;
};

struct BatchResult {
  std::vector<std::string> errors;    // per row; empty string: the row succeeded
  // Per row with an error: the step that failed on our side ("engine",
  // "post-processing"), or nullptr when the request itself was at fault.
  // Callers answer the first with INTERNAL (500), the second with INVALID_ARG.
  std::vector<const char*> failed_step;
  std::vector<OutputValues> outputs;  // per spec output; empty when not wanted
  // When every row was tokenized (the engine inputs start): splits Triton's
  // compute_input (decode + tokenize) from compute_infer (engine + post-processing).
  std::chrono::steady_clock::time_point tokenized_at;
  size_t engine_calls = 0;  // more than one when the batch exceeded max_batch_tokens
  // kQueryPassages: each row's relevance score, when a rerank output is wanted
  // (the Triton layer groups them per request and ranks them).
  std::vector<float> pair_scores;
};

// The error for a text the spec does not accept (empty unless allowed,
// over max_text_bytes), naming its input; "" when it is accepted.
std::string CheckTextLimits(std::string_view text, const std::string& input, const PipelineSpec& spec);

class TextPipeline {
 public:
  // `limits` are the engine's (Engine::limits()): a batch with more rows is
  // split into several engine calls, a longer row is an error for its request.
  TextPipeline(const PipelineSpec& spec, const text::BertTokenizer& tokenizer,
               std::unique_ptr<engines::EngineSession> session,
               const engines::ShapeLimits& limits = {});

  // Computes spec.outputs[i] only where wanted[i] (some request asked for
  // it). The good rows' engine rows go through one engine call, or several
  // when the spec's max_batch_tokens budget asks for it. Not thread-safe:
  // one pipeline per model instance.
  void Run(const std::vector<TextRow>& rows, const std::vector<bool>& wanted,
           BatchResult* result);

 private:
  // An engine row: a whole text, or one context window of a question.
  struct Window {
    size_t row = 0;
    size_t first_context = 0;   // kQuestionContext: position of the first context token
    size_t context_tokens = 0;
    text::Encoding encoding;
  };

  std::string CheckRow(const TextRow& texts) const;
  bool TokenizesInParallel(const std::vector<TextRow>& rows) const;
  std::string CheckEngineLength(size_t tokens) const;
  // One engine row per batch row (every kind but kQuestionContext); thread-safe.
  void EncodeText(const TextRow& texts, text::Encoding* out) const;
  // Fill windows_[0, window_count_) with the good rows' engine rows, in row
  // order, and errors[r] for each bad row. One window per row: on the
  // tokenizer threads. Question + context: in order, one or more per row.
  void EncodeOneWindowPerRow(const std::vector<TextRow>& rows, BatchResult* result);
  void EncodeWindowsInOrder(const std::vector<TextRow>& rows, BatchResult* result);
  void EncodeQuestionContext(size_t row, std::string_view question, std::string_view context);
  Window& NextWindow(size_t row);
  // One engine call over `windows`; when the engine throws, the call is split
  // in halves and retried, so only the rows it fails on get errors.
  void RunEngineRows(const std::vector<size_t>& windows, BatchResult* result);
  void RunEngineCall(const std::vector<size_t>& windows, BatchResult* result);
  // Marks a row failed on our side (an engine error, NaN or Inf from the engine).
  void FailRow(size_t row, const char* step, std::string message, BatchResult* result) const;
  // Gives back scratch a large batch grew past what a full ordinary batch needs.
  void TrimScratch();
  void Pack(const std::vector<size_t>& windows);
  // The engine's views with every device-resident one but the token
  // embeddings copied to the host.
  const std::vector<engines::TensorView>& HostViews(const std::vector<engines::TensorView>& views);
  void CollectOutputs(const std::vector<engines::TensorView>& engine_outputs,
                      const std::vector<size_t>& windows, BatchResult* result);
  void DecodeAnswers(const std::vector<TextRow>& rows, BatchResult* result);

  const PipelineSpec& spec_;
  const text::BertTokenizer& tokenizer_;
  std::unique_ptr<engines::EngineSession> session_;
  engines::ShapeLimits limits_;
  ParallelRows parallel_rows_;
  text::Truncation truncation_;
  EngineOutputLayout layout_;
  DeviceOutputs device_outputs_;
  std::vector<engines::TensorView> host_views_;
  std::vector<bool> wanted_;
  bool wants_answers_ = false;
  bool wants_entities_ = false;
  const std::vector<TextRow>* rows_ = nullptr;  // the batch of the current Run
  std::unique_ptr<EntityCollector> entities_;     // with a token classifier only
  bool wants_pair_scores_ = false;
  // Scratch reused across batches so steady-state serving does not allocate.
  std::vector<Window> windows_;
  size_t window_count_ = 0;
  text::Encoding question_, context_;
  std::vector<int64_t> input_ids_, attention_mask_, token_type_ids_;
  std::vector<float> pooled_, scores_;
  std::vector<float> start_logits_, end_logits_;  // kQuestionContext: [windows, seq of the call]
  std::vector<size_t> logits_offset_;            // per window: where its logits start
  std::vector<size_t> window_lengths_;           // token counts of the windows, for the call plan
  std::vector<size_t> call_windows_;
  size_t max_call_rows_ = 0;  // engine rows per call: the engine's limit, else max_batch_size
  int64_t packed_seq_ = 0;
};

}  // namespace fasterbert
