// The heads of a pipeline, built once at load from its spec: each output
// kind belongs to exactly one head (its Owns()), and a head is made when
// the spec has at least one of its outputs.
#pragma once

#include <memory>
#include <vector>

#include "pipeline/heads/head.h"
#include "pipeline/pipeline_spec.h"
#include "text/tokenizer.h"

namespace fasterbert {

// Throws std::runtime_error naming an output no head computes.
std::vector<std::unique_ptr<Head>> MakeHeads(const PipelineSpec& spec,
                                             const text::Tokenizer& tokenizer);

}  // namespace fasterbert
