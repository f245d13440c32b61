// One output tensor of a response, backed by host memory the backend fills:
// every output writer (the pipeline's outputs, reranking's per-request ones)
// goes through here.
#pragma once

#include <cstdint>
#include <string>

#include "triton/triton_backend_api.h"

namespace fasterbert::triton {

// Adds output `name` of `type` and shape [dims[0], dims[1]] to `response` and
// points `buffer` at `bytes` of host memory for its values. Returns the error
// to send instead, or nullptr.
TRITONSERVER_Error* NewHostOutput(TRITONBACKEND_Response* response, const std::string& name,
                                  TRITONSERVER_DataType type, const int64_t (&dims)[2],
                                  uint64_t bytes, void** buffer);

}  // namespace fasterbert::triton
