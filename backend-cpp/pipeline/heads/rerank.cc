#include "pipeline/heads/rerank.h"

#include "ops/rank.h"

namespace fasterbert {
namespace {

bool IsPerRequest(OutputKind kind) {
  return kind == OutputKind::kRerankScores || kind == OutputKind::kRerankTopIndices;
}

}  // namespace

void RerankHead::Ready(size_t output, const std::vector<TextRow>& rows, OutputValues* values) {
  // Per request, not per row: made from pair_scores by the caller.
  if (IsPerRequest(spec_.outputs[output].kind)) return;
  Head::Ready(output, rows, values);
}

void RerankHead::StartBatch(const std::vector<TextRow>& rows, const EngineRows& /*engine_rows*/,
                            BatchResult* result) {
  wants_pair_scores_ = false;
  for (size_t i : wanted_) wants_pair_scores_ = wants_pair_scores_ || IsPerRequest(spec_.outputs[i].kind);
  if (wants_pair_scores_) result->pair_scores.assign(rows.size(), 0.0f);
}

void RerankHead::ReadCall(const EngineCallOutputs& call, BatchResult* result) {
  const engines::TensorView& view = call.View(call.layout.logits, "logits");
  const int64_t labels = view.shape.back();
  for (size_t b = 0; b < call.rows.size(); ++b) {
    const float* logits = view.data + static_cast<int64_t>(b) * labels;
    const size_t row = call.row(b).row;
    if (!AllFinite(logits, static_cast<size_t>(labels))) {
      result->FailRow(row, kEngineStep, kNotFiniteError);
    }
    const float score = ops::PairScore(spec_.reranker.activation, logits, labels);
    for (size_t i : wanted_) {
      if (!IsPerRequest(spec_.outputs[i].kind)) result->outputs[i].fp32[row] = score;
    }
    if (wants_pair_scores_) result->pair_scores[row] = score;
  }
}

}  // namespace fasterbert
