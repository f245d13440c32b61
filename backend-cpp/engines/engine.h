// The interface the pipeline's engine stage talks to. An engine runs a BERT
// model (encoder, maybe with a head) on one packed batch and hands back the
// FP32 outputs the pipeline named; OpenVINO implements it now, TensorRT and
// others plug in behind the same interface.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace fasterbert::engines {

// One padded batch in host memory, [batch, seq] each, row-major.
struct EncodedBatch {
  int64_t batch = 0;
  int64_t seq = 0;
  const int64_t* input_ids = nullptr;
  const int64_t* attention_mask = nullptr;
  const int64_t* token_type_ids = nullptr;
};

// One output the pipeline reads, and the shape it must have.
struct EngineOutput {
  std::string name;
  bool per_token = true;  // true: [batch, seq, ...]; false: [batch, width]
  int64_t width = 0;      // last dim; 0 with per_token: the output is [batch, seq]
};

// An FP32 output of one Run, row-major; shape is [batch, seq, width],
// [batch, seq] or [batch, width] as its EngineOutput says.
struct TensorView {
  const float* data = nullptr;
  std::vector<int64_t> shape;
};

// An engine session belongs to one model instance and is never shared
// between threads; Run's result stays valid until the next Run.
class EngineSession {
 public:
  virtual ~EngineSession() = default;
  // One view per output the engine was opened with, in that order.
  virtual std::vector<TensorView> Run(const EncodedBatch& batch) = 0;
};

// A loaded model, shared read-only by the instances of one Triton model;
// each instance opens its own session.
class Engine {
 public:
  virtual ~Engine() = default;
  virtual std::unique_ptr<EngineSession> OpenSession() = 0;
};

}  // namespace fasterbert::engines
