// Cross-encoder reranking: one relevance score per (query, passage) engine
// row from its logits (ops::PairScore). kPairScore: one pair per text row,
// the row's score. kRerankScores and kRerankTopIndices: a request's
// passages are its text rows (TextRow::request); its scores side by side in
// input order, and its passages ranked by score, best first.
#pragma once

#include <vector>

#include "pipeline/heads/head.h"

namespace fasterbert {

class RerankHead final : public Head {
 public:
  static bool Owns(OutputKind kind) {
    return kind == OutputKind::kRerankScores || kind == OutputKind::kRerankTopIndices ||
           kind == OutputKind::kPairScore;
  }

  using Head::Head;
  void ReadCall(const EngineCallOutputs& call, BatchResult* result) override;
  void Finish(const std::vector<TextRow>& rows, const EngineRows& engine_rows,
              BatchResult* result) override;
  bool TrimScratch(const ScratchBudget& budget) override;

 private:
  void Ready(size_t output, const std::vector<TextRow>& rows, OutputValues* values) override;
  void StartBatch(const std::vector<TextRow>& rows, const EngineRows& engine_rows,
                  BatchResult* result) override;
  // Writes output `output`'s top indices of each request whose rows all succeeded.
  void Rank(const std::vector<TextRow>& rows, size_t output, BatchResult* result) const;

  std::vector<float> scores_;  // per text row, scratch
};

}  // namespace fasterbert
