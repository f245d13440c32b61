#include "triton/triton_error.h"

namespace fasterbert::triton {

void Log(TRITONSERVER_LogLevel level, const char* file, int line, const std::string& message) {
  if (!TRITONSERVER_LogIsEnabled(level)) return;
  TRITONSERVER_Error* error = TRITONSERVER_LogMessage(level, file, line, message.c_str());
  if (error != nullptr) TRITONSERVER_ErrorDelete(error);
}

}  // namespace fasterbert::triton
