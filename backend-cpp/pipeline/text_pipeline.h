// Runs one dynamic batch through encode (pipeline/encoders/) -> pack ->
// engine -> the outputs' post-processing (pooling/normalize, class scores
// and labels, QA span decoding). Owns per-row error isolation: a bad row gets its own error and
// is left out of the engine call; the other rows go on.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engines/engine.h"
#include "pipeline/batch.h"
#include "pipeline/device_outputs.h"
#include "pipeline/engine_outputs.h"
#include "pipeline/encoders/encoder.h"
#include "pipeline/token_outputs.h"
#include "pipeline/pipeline_spec.h"
#include "text/bert_tokenizer.h"

namespace fasterbert {

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
  // One engine call over `windows`; when the engine throws, the call is split
  // in halves and retried, so only the rows it fails on get errors.
  void RunEngineRows(const std::vector<size_t>& windows, BatchResult* result);
  void RunEngineCall(const std::vector<size_t>& windows, BatchResult* result);
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
  std::unique_ptr<Encoder> encoder_;
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
  EngineRows engine_rows_;
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
