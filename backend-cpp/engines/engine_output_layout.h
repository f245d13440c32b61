// Which engine outputs a pipeline reads, in the order the engine returns
// them: the model state opens the engine with this list, the pipeline finds
// each role's view by the same indices.
#pragma once

#include <vector>

#include "engines/engine.h"
#include "engines/engine_spec.h"

namespace fasterbert::engines {

struct EngineOutputLayout {
  std::vector<EngineOutput> outputs;
  // Index into outputs, -1 when the pipeline does not read it.
  int token_embeddings = -1;
  int logits = -1;
  int token_logits = -1;
  int start_logits = -1;
  int end_logits = -1;
};

EngineOutputLayout LayoutEngineOutputs(const EngineSpec& spec);

}  // namespace fasterbert::engines
