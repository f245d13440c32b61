#include "triton/response_output.h"

#include "triton/triton_error.h"

namespace fasterbert::triton {

TRITONSERVER_Error* NewHostOutput(TRITONBACKEND_Response* response, const std::string& name,
                                  TRITONSERVER_DataType type, const int64_t (&dims)[2],
                                  uint64_t bytes, void** buffer) {
  TRITONBACKEND_Output* output = nullptr;
  TRITONSERVER_Error* error =
      TRITONBACKEND_ResponseOutput(response, &output, name.c_str(), type, dims, 2);
  if (error != nullptr) return error;
  // Ask for host memory; Triton may still hand back another kind.
  TRITONSERVER_MemoryType memory_type = TRITONSERVER_MEMORY_CPU;
  int64_t memory_type_id = 0;
  error = TRITONBACKEND_OutputBuffer(output, buffer, bytes, &memory_type, &memory_type_id);
  if (error != nullptr) return error;
  if (memory_type == TRITONSERVER_MEMORY_GPU) {
    return MakeError(TRITONSERVER_ERROR_UNSUPPORTED,
                     "output '" + name + "' cannot be written to GPU memory");
  }
  return nullptr;
}

}  // namespace fasterbert::triton
