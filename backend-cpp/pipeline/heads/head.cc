#include "pipeline/heads/head.h"

#include <cmath>
#include <stdexcept>
#include <utility>

namespace fasterbert {

const engines::TensorView& EngineCallOutputs::View(int at, const char* role) const {
  if (at < 0 || static_cast<size_t>(at) >= views.size()) {
    throw std::runtime_error(std::string("the engine was opened without its ") + role + " output");
  }
  return views[static_cast<size_t>(at)];
}

bool AllFinite(const float* values, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (!std::isfinite(values[i])) return false;
  }
  return true;
}

Head::Head(const PipelineSpec& spec, std::vector<size_t> outputs)
    : spec_(spec), outputs_(std::move(outputs)) {}

bool Head::Start(const std::vector<TextRow>& rows, const EngineRows& engine_rows,
                 const std::vector<bool>& wanted, BatchResult* result) {
  wanted_.clear();
  for (size_t i : outputs_) {
    if (!wanted[i]) continue;
    wanted_.push_back(i);
    Ready(i, rows, &result->outputs[i]);
  }
  if (wanted_.empty()) return false;
  StartBatch(rows, engine_rows, result);
  return true;
}

void Head::Ready(size_t output, const std::vector<TextRow>& rows, OutputValues* values) {
  const OutputSpec& out = spec_.outputs[output];
  values->layout = OutputLayout::kPerRow;
  values->Reset(OutputDataType(out.kind), rows.size() * static_cast<size_t>(out.dim));
}

}  // namespace fasterbert
