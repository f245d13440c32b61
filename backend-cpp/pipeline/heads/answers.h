// Extractive QA (kAnswerText, kAnswerScore, kAnswerStart, kAnswerEnd): each
// context window's start and end logits are kept as its engine call returns
// them (a row's windows may span several calls); once every call has run,
// each row's windows are decoded together into its n best answer spans
// (ops/answer_spans.h), offsets in characters of the context.
#pragma once

#include <vector>

#include "pipeline/heads/head.h"

namespace fasterbert {

class AnswersHead final : public Head {
 public:
  static bool Owns(OutputKind kind) {
    return kind == OutputKind::kAnswerText || kind == OutputKind::kAnswerScore ||
           kind == OutputKind::kAnswerStart || kind == OutputKind::kAnswerEnd;
  }

  using Head::Head;
  void ReadCall(const EngineCallOutputs& call, BatchResult* result) override;
  void Finish(const std::vector<TextRow>& rows, const EngineRows& engine_rows,
              BatchResult* result) override;
  bool TrimScratch(const ScratchBudget& budget) override;

 private:
  void StartBatch(const std::vector<TextRow>& rows, const EngineRows& engine_rows,
                  BatchResult* result) override;

  std::vector<float> start_logits_, end_logits_;  // the windows' logits, one after another
  std::vector<size_t> logits_offset_;             // per engine row: where its logits start
};

}  // namespace fasterbert
