// Runs one dynamic batch: the encoder turns its text rows into engine rows
// (pipeline/encoders/), the engine rows are packed into one engine call or
// several (max_batch_tokens, the engine's row limit), and each head with a
// wanted output turns the engine's outputs into its values
// (pipeline/heads/). Owns per-row error isolation: a bad row gets its own
// error and is left out of the engine call; the other rows go on.
#pragma once

#include <memory>
#include <vector>

#include "engines/engine.h"
#include "pipeline/batch.h"
#include "pipeline/device_outputs.h"
#include "pipeline/encoders/encoder.h"
#include "engines/engine_output_layout.h"
#include "pipeline/heads/head.h"
#include "pipeline/pipeline_spec.h"
#include "text/tokenizer.h"

namespace fasterbert {

class TextPipeline {
 public:
  // `limits` are the engine's (Engine::limits()): a batch with more rows is
  // split into several engine calls, a longer row is an error for its request.
  // The encoder and the heads are built here, once, from `spec`.
  TextPipeline(const PipelineSpec& spec, const text::Tokenizer& tokenizer,
               std::unique_ptr<engines::EngineSession> session,
               const engines::ShapeLimits& limits = {});

  // Computes spec.outputs[i] only where wanted[i] (some request asked for
  // it). The good rows' engine rows go through one engine call, or several
  // when the spec's max_batch_tokens budget asks for it. Not thread-safe:
  // one pipeline per model instance.
  void Run(const std::vector<TextRow>& rows, const std::vector<bool>& wanted,
           BatchResult* result);

 private:
  // One engine call over `engine_rows` (indices into engine_rows_); when the
  // engine throws, the call is split in halves and retried, so only the rows
  // it fails on get errors.
  void RunEngineRows(const std::vector<size_t>& engine_rows, BatchResult* result);
  void RunEngineCall(const std::vector<size_t>& engine_rows, BatchResult* result);
  // Pads the call's rows to the longest of them into the engine's inputs.
  void Pack(const std::vector<size_t>& engine_rows);
  // The engine's views with every device-resident one but the token
  // embeddings copied to the host.
  const std::vector<engines::TensorView>& HostViews(const std::vector<engines::TensorView>& views);
  // Gives back scratch a large batch grew past what a full ordinary batch needs.
  void TrimScratch();

  const PipelineSpec& spec_;
  const text::Tokenizer& tokenizer_;
  std::unique_ptr<engines::EngineSession> session_;
  std::unique_ptr<Encoder> encoder_;
  std::vector<std::unique_ptr<Head>> heads_;
  engines::EngineOutputLayout layout_;
  DeviceOutputs device_outputs_;  // host copies of device views
  std::vector<engines::TensorView> host_views_;
  std::vector<bool> wanted_;
  std::vector<Head*> engine_heads_;  // this batch's heads that read the engine's outputs
  std::vector<Head*> started_heads_;  // this batch's heads with a wanted output
  // Scratch reused across batches so steady-state serving does not allocate.
  EngineRows engine_rows_;
  std::vector<int64_t> input_ids_, attention_mask_, token_type_ids_;
  std::vector<size_t> row_lengths_;  // token counts of the engine rows, for the call plan
  size_t max_call_rows_ = 0;  // engine rows per call: the engine's limit, else max_batch_size
  int64_t packed_seq_ = 0;
};

}  // namespace fasterbert
