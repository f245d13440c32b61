// Sequence classification: the engine's logits as they are (kLogits), after
// the classifier's activation (kClassScores), and the top-k label names and
// their scores (kTopLabels, kTopLabelScores; with a threshold, labels
// scoring below it are left out).
#pragma once

#include <vector>

#include "pipeline/heads/head.h"

namespace fasterbert {

class ClassifierHead final : public Head {
 public:
  static bool Owns(OutputKind kind) {
    return kind == OutputKind::kLogits || kind == OutputKind::kClassScores ||
           kind == OutputKind::kTopLabels || kind == OutputKind::kTopLabelScores;
  }

  using Head::Head;
  void ReadCall(const EngineCallOutputs& call, BatchResult* result) override;

 private:
  // Writes output `out` of text row `row` from the row's logits.
  void WriteRow(const OutputSpec& out, const float* logits, int64_t labels, size_t row,
                OutputValues* values);

  std::vector<float> scores_;  // one row's, scratch
};

}  // namespace fasterbert
