// The interface the pipeline's engine stage talks to. An engine runs a BERT
// encoder on one packed batch and hands back its token embeddings; OpenVINO
// implements it now, TensorRT and others plug in behind the same interface.
#pragma once

#include <cstdint>
#include <memory>

#include "ops/pooling.h"

namespace fasterbert::engines {

// One padded batch in host memory, [batch, seq] each, row-major.
struct EncodedBatch {
  int64_t batch = 0;
  int64_t seq = 0;
  const int64_t* input_ids = nullptr;
  const int64_t* attention_mask = nullptr;
  const int64_t* token_type_ids = nullptr;
};

// An engine session belongs to one model instance and is never shared
// between threads; Run's result stays valid until the next Run.
class EngineSession {
 public:
  virtual ~EngineSession() = default;
  virtual ops::TokenEmbeddingsView Run(const EncodedBatch& batch) = 0;
};

// A loaded model, shared read-only by the instances of one Triton model;
// each instance opens its own session.
class Engine {
 public:
  virtual ~Engine() = default;
  virtual std::unique_ptr<EngineSession> OpenSession() = 0;
};

}  // namespace fasterbert::engines
