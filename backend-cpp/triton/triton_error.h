// Small helpers around TRITONSERVER_Error and Triton's log API, so the glue
// never prints to stdout and every C++ exception becomes a Triton error at
// the C boundary.
#pragma once

#include <string>

#include "triton/triton_backend_api.h"

namespace fasterbert::triton {

inline TRITONSERVER_Error* MakeError(TRITONSERVER_Error_Code code, const std::string& message) {
  return TRITONSERVER_ErrorNew(code, message.c_str());
}

void Log(TRITONSERVER_LogLevel level, const char* file, int line, const std::string& message);

// Calls a Triton API function and throws TritonCallError when it fails, so
// the glue reads straight through instead of checking every return value.
struct TritonCallError {
  TRITONSERVER_Error* error;
};
inline void Check(TRITONSERVER_Error* error) {
  if (error != nullptr) throw TritonCallError{error};
}

}  // namespace fasterbert::triton

#define FASTERBERT_LOG(level, message) \
  ::fasterbert::triton::Log(level, __FILE__, __LINE__, message)
