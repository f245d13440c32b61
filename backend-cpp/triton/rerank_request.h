// Reranking requests (EncodingKind::kQueryPassages): a query [1, 1] and its
// passages [1, n] become n pair rows of the batch; the rows' scores come
// back as that request's outputs, scores [1, n] in input order and the top-k
// passage indices [1, k].
#pragma once

#include <string>
#include <vector>

#include "pipeline/pipeline_spec.h"
#include "triton/text_input.h"
#include "triton/triton_backend_api.h"

namespace fasterbert::triton {

inline bool IsRerankOutput(OutputKind kind) {
  return kind == OutputKind::kRerankScores || kind == OutputKind::kRerankTopIndices;
}

// How many passages a request may send: checked by ReadTextInput from the
// shape, before the passages are read.
ListLimit PassagesLimit(const PipelineSpec& spec);

// The request's error (empty: none) for a query that is not exactly one
// string, a query the spec does not accept (empty, too long), and no passages.
std::string CheckRerankRequest(const PipelineSpec& spec, const TextInput& query,
                               const TextInput& passages);

// Writes one rerank output of the request whose pair rows are
// [first_row, first_row + count); returns the error to send instead, or nullptr.
TRITONSERVER_Error* WriteRerankOutput(TRITONBACKEND_Response* response, const OutputSpec& spec,
                                      const std::vector<float>& pair_scores, size_t first_row,
                                      size_t count);

}  // namespace fasterbert::triton
