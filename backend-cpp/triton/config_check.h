// config.pbtxt and the pipeline compiled into the backend are two copies of
// one truth: codegen writes both, but a hand edit (or a stale file) can make
// them differ, and then Triton would validate requests against one while the
// backend runs the other. At load the backend compares them and refuses to
// load on the first difference.
#pragma once

#include <optional>
#include <string>

#include "pipeline/pipeline_spec.h"
#include "text/json.h"

namespace fasterbert::triton {

// `config`: the model configuration as Triton gives it (TRITONBACKEND_ModelConfig
// serialized to JSON). Returns "" when the inputs, outputs (names, data types,
// dims) and max_batch_size are the spec's, else the first difference, naming
// the field and both values.
std::string CompareModelConfig(const text::JsonValue& config, const PipelineSpec& spec);

// How many instances config's instance_group makes (each entry's count, times
// its GPUs where it lists them); 1 when there is none. Throws when a count is
// not a positive integer.
int InstanceCount(const text::JsonValue& config);

// config.pbtxt's `parameters { key: "response_thread" value { string_value:
// "true" } }`: whether an instance sends its responses from a thread of its
// own (triton/response_thread.h). False when absent (responses go out from
// the instance's thread, as Triton's own backends send them); throws on a
// value other than "true" or "false".
bool ResponseThreadParameter(const text::JsonValue& config);

// config.pbtxt's OpenVINO tuning, under the names Triton's own OpenVINO
// backend takes (OpenVINO's property names), so a deployment can fit the
// engine to its machine without a new build: `INFERENCE_NUM_THREADS`, the
// threads of all instances' streams together ("0": as built), and
// `ENABLE_CPU_PINNING`, "YES" or "NO". Throws on a malformed value; the
// engine factory refuses what does not fit the engine (engines/engine_factory.h).
struct OpenVinoParameters {
  int inference_num_threads = 0;    // 0: as built
  std::optional<bool> cpu_pinning = std::nullopt;  // empty: OpenVINO's default
};
OpenVinoParameters ReadOpenVinoParameters(const text::JsonValue& config);

}  // namespace fasterbert::triton
