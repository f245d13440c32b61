#include "pipeline/heads/classifier.h"

#include <algorithm>
#include <optional>
#include <string>

#include "ops/activation.h"
#include "ops/top_k.h"

namespace fasterbert {
namespace {

void ApplyActivation(Activation activation, const float* logits, int64_t n, float* out) {
  switch (activation) {
    case Activation::kNone:
      std::copy_n(logits, n, out);
      break;
    case Activation::kSoftmax:
      ops::Softmax(logits, n, out);
      break;
    case Activation::kSigmoid:
      ops::Sigmoid(logits, n, out);
      break;
  }
}

}  // namespace

void ClassifierHead::ReadCall(const EngineCallOutputs& call, BatchResult* result) {
  const engines::TensorView& view = call.View(call.layout.logits, "logits");
  const int64_t labels = view.shape.back();
  scores_.resize(static_cast<size_t>(labels));
  for (size_t i : wanted_) {
    const OutputSpec& out = spec_.outputs[i];
    for (size_t b = 0; b < call.rows.size(); ++b) {
      const float* logits = view.data + static_cast<int64_t>(b) * labels;
      const size_t row = call.row(b).row;
      if (!AllFinite(logits, static_cast<size_t>(labels))) {
        result->FailRow(row, kEngineStep, kNotFiniteError);
        continue;
      }
      WriteRow(out, logits, labels, row, &result->outputs[i]);
    }
  }
}

void ClassifierHead::WriteRow(const OutputSpec& out, const float* logits, int64_t labels,
                              size_t row, OutputValues* values) {
  const size_t dim = static_cast<size_t>(out.dim);
  if (out.kind == OutputKind::kLogits) {
    std::copy_n(logits, labels, values->fp32.data() + row * dim);
    return;
  }
  const ClassifierSpec& classifier = spec_.classifier;
  ApplyActivation(classifier.activation, logits, labels, scores_.data());
  if (out.kind == OutputKind::kClassScores) {
    std::copy_n(scores_.data(), labels, values->fp32.data() + row * dim);
    return;
  }
  const std::vector<int64_t> top =
      ops::TopK(scores_.data(), labels, out.dim,
                classifier.has_threshold ? std::optional<float>(classifier.threshold)
                                         : std::nullopt);
  for (size_t k = 0; k < top.size(); ++k) {
    const size_t label = static_cast<size_t>(top[k]);
    if (out.kind == OutputKind::kTopLabels) {
      values->bytes[row * dim + k] =
          label < classifier.labels.size() ? classifier.labels[label] : std::to_string(label);
    } else {
      values->fp32[row * dim + k] = scores_[label];
    }
  }
}

}  // namespace fasterbert
