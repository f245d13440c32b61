#include "triton/rerank_request.h"

#include <algorithm>

#include "pipeline/encoders/text_limits.h"

namespace fasterbert::triton {

ListLimit PassagesLimit(const PipelineSpec& spec) {
  return {static_cast<size_t>(std::max(spec.encoding.max_passages, 1)), "passages", "maxPassages"};
}

std::string CheckRerankRequest(const PipelineSpec& spec, const TextInput& query,
                               const TextInput& passages) {
  const std::string& query_input = spec.text_inputs.at(0);
  const std::string& passages_input = spec.text_inputs.at(1);
  if (query.rows.size() != 1) {
    return "input '" + query_input + "' holds " + std::to_string(query.rows.size()) +
           " strings; send one query per request (shape [1, 1])";
  }
  if (std::string error = CheckTextLimits(query.rows[0], query_input, spec); !error.empty()) {
    return error;
  }
  if (passages.rows.empty()) {
    return "input '" + passages_input + "' holds no passages; send at least one";
  }
  return {};
}

}  // namespace fasterbert::triton
