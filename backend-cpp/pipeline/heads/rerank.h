// Cross-encoder reranking: one relevance score per (query, passage) engine
// row from its logits (ops::PairScore). kPairScore: the row's score, one
// pair per text row. kRerankScores and kRerankTopIndices (a request's
// passages as its text rows): the rows' scores, which the Triton layer
// groups per request and ranks.
#pragma once

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

 private:
  void Ready(size_t output, const std::vector<TextRow>& rows, OutputValues* values) override;
  void StartBatch(const std::vector<TextRow>& rows, const EngineRows& engine_rows,
                  BatchResult* result) override;

  bool wants_pair_scores_ = false;  // a rerank output is wanted
};

}  // namespace fasterbert
