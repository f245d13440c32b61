#include "pipeline/heads/rerank.h"

#include <algorithm>

#include "ops/rank.h"

namespace fasterbert {

void RerankHead::Ready(size_t output, const std::vector<TextRow>& rows, OutputValues* values) {
  const OutputSpec& out = spec_.outputs[output];
  switch (out.kind) {
    case OutputKind::kRerankScores:
      values->Reset(DataType::kFp32, rows.size());
      values->layout = OutputLayout::kRowsAsList;
      break;
    case OutputKind::kRerankTopIndices: {
      size_t requests = 0;  // numbered from 0
      for (const TextRow& row : rows) requests = std::max(requests, row.request + 1);
      values->Reset(DataType::kInt64, requests * static_cast<size_t>(out.dim));
      values->layout = OutputLayout::kPerRequest;
      break;
    }
    default:
      Head::Ready(output, rows, values);
      break;
  }
}

void RerankHead::StartBatch(const std::vector<TextRow>& rows, const EngineRows& /*engine_rows*/,
                            BatchResult* /*result*/) {
  scores_.assign(rows.size(), 0.0f);
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
    scores_[row] = ops::PairScore(spec_.reranker.activation, logits, labels);
  }
}

void RerankHead::Finish(const std::vector<TextRow>& rows, const EngineRows& /*engine_rows*/,
                        BatchResult* result) {
  for (size_t i : wanted_) {
    const OutputSpec& out = spec_.outputs[i];
    if (out.kind == OutputKind::kRerankTopIndices) {
      Rank(rows, i, result);
    } else {
      // kPairScore (dim 1 per row) and kRerankScores: one score per row.
      std::copy(scores_.begin(), scores_.end(), result->outputs[i].fp32.begin());
    }
  }
}

void RerankHead::Rank(const std::vector<TextRow>& rows, size_t output, BatchResult* result) const {
  const size_t k = static_cast<size_t>(spec_.outputs[output].dim);
  int64_t* top_indices = result->outputs[output].int64.data();
  // One request's rows are consecutive; a request with a failed row gets
  // its error instead of outputs, so it is not ranked.
  for (size_t first = 0, end = 0; first < rows.size(); first = end) {
    const size_t request = rows[first].request;
    bool failed = false;
    for (end = first; end < rows.size() && rows[end].request == request; ++end) {
      failed = failed || !result->errors[end].empty();
    }
    if (failed) continue;
    const std::vector<int64_t> top = ops::RankTopIndices(
        scores_.data() + first, static_cast<int64_t>(end - first), static_cast<int64_t>(k));
    std::copy(top.begin(), top.end(), top_indices + request * k);
  }
}

bool RerankHead::TrimScratch(const ScratchBudget& budget) {
  return TrimScratchTo(scores_, budget.rows);
}

}  // namespace fasterbert
