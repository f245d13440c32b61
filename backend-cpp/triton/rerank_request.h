// Reranking requests (EncodingKind::kQueryPassages): a query [1, 1] and its
// passages [1, n] become n pair rows of the batch, one request; the rerank
// head (pipeline/heads/rerank.h) makes that request's outputs, scores
// [1, n] in input order and the top-k passage indices [1, k].
#pragma once

#include <string>

#include "pipeline/pipeline_spec.h"
#include "triton/text_input.h"

namespace fasterbert::triton {

// How many passages a request may send: checked by ReadTextInput from the
// shape, before the passages are read.
ListLimit PassagesLimit(const PipelineSpec& spec);

// The request's error (empty: none) for a query that is not exactly one
// string, a query the spec does not accept (empty, too long), and no passages.
std::string CheckRerankRequest(const PipelineSpec& spec, const TextInput& query,
                               const TextInput& passages);

}  // namespace fasterbert::triton
