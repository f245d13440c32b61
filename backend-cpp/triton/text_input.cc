#include "triton/text_input.h"

#include "triton/bytes_tensor.h"
#include "triton/triton_error.h"

namespace fasterbert::triton {
namespace {

std::string TakeMessage(TRITONSERVER_Error* error) {
  std::string message = TRITONSERVER_ErrorMessage(error);
  TRITONSERVER_ErrorDelete(error);
  return message;
}

}  // namespace

std::string ReadTextInput(TRITONBACKEND_Request* request, const std::string& input_name,
                          TextInput* out, TextLayout layout, const ListLimit& list_limit) {
  TRITONBACKEND_Input* input = nullptr;
  if (TRITONSERVER_Error* e = TRITONBACKEND_RequestInput(request, input_name.c_str(), &input)) {
    return "missing input '" + input_name + "': " + TakeMessage(e);
  }
  const char* name = nullptr;
  TRITONSERVER_DataType datatype = TRITONSERVER_TYPE_INVALID;
  const int64_t* shape = nullptr;
  uint32_t dims = 0;
  uint64_t byte_size = 0;
  uint32_t buffer_count = 0;
  if (TRITONSERVER_Error* e = TRITONBACKEND_InputProperties(input, &name, &datatype, &shape, &dims,
                                                            &byte_size, &buffer_count)) {
    return TakeMessage(e);
  }
  if (datatype != TRITONSERVER_TYPE_BYTES) {
    return "input '" + input_name + "' must be BYTES (one UTF-8 string per row)";
  }
  if (layout == TextLayout::kListInOneRow) {
    if (dims != 2 || shape[0] != 1 || shape[1] < 0) {
      return "input '" + input_name + "' must have shape [1, n]: one request holds one list";
    }
  } else if (dims != 2 || shape[1] != 1 || shape[0] < 0) {
    return "input '" + input_name + "' must have shape [batch, 1]";
  }
  const size_t count = static_cast<size_t>(shape[layout == TextLayout::kListInOneRow ? 1 : 0]);
  if (layout == TextLayout::kListInOneRow && list_limit.max_strings > 0 &&
      count > list_limit.max_strings) {
    return "input '" + input_name + "' holds " + std::to_string(count) + " " + list_limit.what +
           ", over this model's limit of " + std::to_string(list_limit.max_strings) +
           (list_limit.option.empty() ? "" : " (" + list_limit.option + ")") + " per request";
  }

  // Usually one buffer: read it in place. Several: join them first, since an
  // element may straddle two buffers.
  std::string_view whole;
  for (uint32_t b = 0; b < buffer_count; ++b) {
    const void* data = nullptr;
    uint64_t size = 0;
    TRITONSERVER_MemoryType memory_type = TRITONSERVER_MEMORY_CPU;
    int64_t memory_type_id = 0;
    if (TRITONSERVER_Error* e =
            TRITONBACKEND_InputBuffer(input, b, &data, &size, &memory_type, &memory_type_id)) {
      return TakeMessage(e);
    }
    if (memory_type == TRITONSERVER_MEMORY_GPU) {
      return "input '" + input_name + "' arrived in GPU memory; text inputs must be in CPU memory";
    }
    if (buffer_count == 1) {
      whole = std::string_view(static_cast<const char*>(data), size);
    } else {
      out->joined.append(static_cast<const char*>(data), size);
    }
  }
  if (buffer_count != 1) whole = out->joined;
  std::string error = ParseBytesElements(whole, count, &out->rows);
  if (!error.empty()) return "input '" + input_name + "': " + error;
  return {};
}

}  // namespace fasterbert::triton
