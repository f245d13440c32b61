// OutputKind::kTokenCount: a row's tokens with [CLS] and [SEP] (its first
// engine row's), from the encodings alone: a batch that wants only token
// counts never calls the engine.
#pragma once

#include "pipeline/heads/head.h"

namespace fasterbert {

class TokenCountHead final : public Head {
 public:
  static bool Owns(OutputKind kind) { return kind == OutputKind::kTokenCount; }

  using Head::Head;
  bool NeedsEngine() const override { return false; }
  void ReadCall(const EngineCallOutputs&, BatchResult*) override {}

 private:
  void StartBatch(const std::vector<TextRow>& rows, const EngineRows& engine_rows,
                  BatchResult* result) override;
};

}  // namespace fasterbert
