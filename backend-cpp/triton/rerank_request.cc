#include "triton/rerank_request.h"

#include <algorithm>
#include <cstring>

#include "ops/rank.h"
#include "pipeline/encoders/text_limits.h"
#include "triton/response_output.h"

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

TRITONSERVER_Error* WriteRerankOutput(TRITONBACKEND_Response* response, const OutputSpec& spec,
                                      const std::vector<float>& pair_scores, size_t first_row,
                                      size_t count) {
  const bool scores = spec.kind == OutputKind::kRerankScores;
  std::vector<int64_t> top;
  if (!scores) {
    top = ops::RankTopIndices(pair_scores.data() + first_row, static_cast<int64_t>(count),
                              spec.dim);
  }
  const size_t elements = scores ? count : top.size();
  const int64_t shape[2] = {1, static_cast<int64_t>(elements)};
  const uint64_t bytes = elements * (scores ? sizeof(float) : sizeof(int64_t));
  void* buffer = nullptr;
  TRITONSERVER_Error* error =
      NewHostOutput(response, spec.name, scores ? TRITONSERVER_TYPE_FP32 : TRITONSERVER_TYPE_INT64,
                    shape, bytes, &buffer);
  if (error != nullptr) return error;
  if (bytes == 0) return nullptr;
  std::memcpy(buffer, scores ? static_cast<const void*>(pair_scores.data() + first_row)
                             : static_cast<const void*>(top.data()),
              bytes);
  return nullptr;
}

}  // namespace fasterbert::triton
