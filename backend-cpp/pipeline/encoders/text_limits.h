// The spec's limits on any one text (empty unless allowed, at most
// max_text_bytes), checked before a text is tokenized: by the encoders for
// each row's texts, and by the Triton glue for reranking's one query.
#pragma once

#include <string>
#include <string_view>

#include "pipeline/pipeline_spec.h"

namespace fasterbert {

// The error for a text the spec does not accept, naming its input; "" when
// it is accepted.
std::string CheckTextLimits(std::string_view text, const std::string& input, const PipelineSpec& spec);

}  // namespace fasterbert
