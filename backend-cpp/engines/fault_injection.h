// Test-only faults for the adversarial suite (test/adversarial/): an engine
// that throws or returns NaN on chosen rows, and a batch that throws outside
// the pipeline's per-row handling. Off unless the server's environment sets
// FASTERBERT_FAULT_INJECTION (the model then logs a warning at load), e.g.
//   FASTERBERT_FAULT_INJECTION="engine-throw=2345;engine-nan=6789;batch-throw=BOOM"
// engine-throw=ID: an engine call throws when any of its rows holds token ID;
// engine-nan=ID:   the rows holding token ID come back as NaN (host outputs);
// batch-throw=TEXT: a batch holding a row whose text is TEXT throws
//                   std::bad_alloc before the pipeline runs.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "engines/engine.h"

namespace fasterbert::engines {

struct FaultInjection {
  int64_t engine_throw_token = -1;
  int64_t engine_nan_token = -1;
  std::string batch_throw_text;

  bool active() const {
    return engine_throw_token >= 0 || engine_nan_token >= 0 || !batch_throw_text.empty();
  }
  // "engine-throw=2345, engine-nan=6789" etc.; throws std::invalid_argument
  // naming the part it cannot read.
  static FaultInjection Parse(const std::string& text);
  // From FASTERBERT_FAULT_INJECTION; none when it is unset or empty.
  static FaultInjection FromEnvironment();
};

// `engine` with the faults' engine part; `engine` itself when there is none.
std::unique_ptr<Engine> InjectFaults(std::unique_ptr<Engine> engine, const FaultInjection& faults);

}  // namespace fasterbert::engines
