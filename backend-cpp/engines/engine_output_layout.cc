#include "engines/engine_output_layout.h"

namespace fasterbert::engines {

EngineOutputLayout LayoutEngineOutputs(const EngineSpec& spec) {
  EngineOutputLayout layout;
  auto add = [&](const std::string& name, bool per_token, int width, int* at) {
    if (name.empty()) return;
    *at = static_cast<int>(layout.outputs.size());
    layout.outputs.push_back({name, per_token, width});
  };
  add(spec.token_embeddings, true, spec.hidden_size, &layout.token_embeddings);
  add(spec.logits, false, spec.num_labels, &layout.logits);
  add(spec.token_logits, true, spec.num_token_labels, &layout.token_logits);
  add(spec.start_logits, true, 0, &layout.start_logits);
  add(spec.end_logits, true, 0, &layout.end_logits);
  return layout;
}

}  // namespace fasterbert::engines
