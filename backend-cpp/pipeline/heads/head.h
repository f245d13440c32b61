// A head owns some of the spec's output kinds and turns the engine's
// outputs into their values for each row or request of the batch: the
// embedding (pooling), the classifier, extractive QA's answers, NER's
// entities, reranking's scores. The loop (pipeline/text_pipeline.h) builds
// the heads once from the spec (heads/heads.h) and hands each engine call to
// the heads with a wanted output; a new kind of task is one new head.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "engines/engine.h"
#include "pipeline/batch.h"
#include "engines/engine_output_layout.h"
#include "pipeline/pipeline_spec.h"
#include "pipeline/scratch.h"

namespace fasterbert {

// What a head sees of one engine call.
struct EngineCallOutputs {
  // By EngineOutputLayout index, in host memory but the token embeddings,
  // which stay where the engine left them (device pooling).
  const std::vector<engines::TensorView>& views;
  const engines::EngineOutputLayout& layout;
  const EngineRows& engine_rows;
  const std::vector<size_t>& rows;  // the call's rows in order: indices into engine_rows
  int64_t seq = 0;                  // the length the call's rows were padded to
  const int64_t* attention_mask = nullptr;  // [rows, seq] in host memory
  void* cuda_stream = nullptr;              // the session's, for device views

  // The engine row of the call's row b.
  const EngineRow& row(size_t b) const { return engine_rows[rows[b]]; }
  // The view at a layout index; throws naming `role` when the engine was
  // opened without it.
  const engines::TensorView& View(int at, const char* role) const;
};

// The error of a row whose engine output holds NaN or Inf.
inline constexpr char kNotFiniteError[] =
    "the engine returned NaN or Inf for this row (a reduced-precision overflow?)";

bool AllFinite(const float* values, size_t n);

class Head {
 public:
  // `outputs`: the indices into spec.outputs of the outputs this head owns.
  Head(const PipelineSpec& spec, std::vector<size_t> outputs);
  virtual ~Head() = default;
  Head(const Head&) = delete;
  Head& operator=(const Head&) = delete;

  // Readies this batch's wanted outputs of the head (zeros or "", sized for
  // `rows`), once the encoder has made `engine_rows`. Returns whether some
  // request wants an output of this head.
  bool Start(const std::vector<TextRow>& rows, const EngineRows& engine_rows,
             const std::vector<bool>& wanted, BatchResult* result);
  // False for a head whose outputs come from the encodings alone.
  virtual bool NeedsEngine() const { return true; }
  // One engine call: writes the values of its rows, or fails a row whose
  // engine output is unusable. May throw: the loop then splits the call.
  virtual void ReadCall(const EngineCallOutputs& call, BatchResult* result) = 0;
  // After every engine call of the batch: what needs all of a row's (or a
  // request's) engine rows. Not called when the engine did not run.
  virtual void Finish(const std::vector<TextRow>& /*rows*/, const EngineRows& /*engine_rows*/,
                      BatchResult* /*result*/) {}
  // Gives back scratch past `budget`; true when something was freed.
  virtual bool TrimScratch(const ScratchBudget& /*budget*/) { return false; }

 protected:
  // Sizes output `output` for the batch: dim values per text row unless the
  // head lays it out otherwise.
  virtual void Ready(size_t output, const std::vector<TextRow>& rows, OutputValues* values);
  // Called by Start once the wanted outputs are ready.
  virtual void StartBatch(const std::vector<TextRow>& /*rows*/, const EngineRows& /*engine_rows*/,
                          BatchResult* /*result*/) {}

  const PipelineSpec& spec_;
  const std::vector<size_t> outputs_;  // this head's indices into spec.outputs
  std::vector<size_t> wanted_;         // the ones some request of this batch asked for
};

}  // namespace fasterbert
