// Sentence embeddings (OutputKind::kSentenceEmbedding): each output's
// post_ops (a pooling over the token embeddings, then optionally L2) per
// engine row. Token embeddings in GPU memory are pooled there and only the
// pooled [rows, hidden] crosses to the host (pipeline/device_outputs.h).
#pragma once

#include <cstdint>
#include <vector>

#include "pipeline/device_outputs.h"
#include "pipeline/heads/head.h"

namespace fasterbert {

class EmbeddingHead final : public Head {
 public:
  static bool Owns(OutputKind kind) { return kind == OutputKind::kSentenceEmbedding; }

  using Head::Head;
  void ReadCall(const EngineCallOutputs& call, BatchResult* result) override;

 private:
  // The call's pooled rows and their finiteness, on the host.
  DeviceOutputs::PooledRows Pool(const EngineCallOutputs& call, const OutputSpec& out);

  DeviceOutputs device_outputs_;
  std::vector<float> pooled_;     // [call rows, hidden], scratch of host-pooled rows
  std::vector<uint8_t> finite_;   // [call rows], their flags
};

}  // namespace fasterbert
