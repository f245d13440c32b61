#include "triton/instance_state.h"

#include <chrono>
#include <cstring>
#include <vector>

#include "triton/text_input.h"
#include "triton/triton_error.h"

namespace fasterbert::triton {
namespace {

uint64_t NowNs() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}

// Logs and drops a failure of a Triton call made while answering: nothing
// more can be done for that request, and the batch must go on.
void LogIfError(TRITONSERVER_Error* error, const char* what) {
  if (error == nullptr) return;
  FASTERBERT_LOG(TRITONSERVER_LOG_ERROR,
                 std::string(what) + " failed: " + TRITONSERVER_ErrorMessage(error));
  TRITONSERVER_ErrorDelete(error);
}

// Sends the final response; `error` (or nullptr for success) stays ours to
// delete, as the backend API documents.
void SendFinal(TRITONBACKEND_Response* response, TRITONSERVER_Error* error) {
  LogIfError(TRITONBACKEND_ResponseSend(response, TRITONSERVER_RESPONSE_COMPLETE_FINAL, error),
             "TRITONBACKEND_ResponseSend");
  if (error != nullptr) TRITONSERVER_ErrorDelete(error);
}

bool OutputRequested(TRITONBACKEND_Request* request, const std::string& output) {
  uint32_t count = 0;
  if (TRITONBACKEND_RequestOutputCount(request, &count) != nullptr) return true;
  for (uint32_t i = 0; i < count; ++i) {
    const char* name = nullptr;
    TRITONSERVER_Error* error = TRITONBACKEND_RequestOutputName(request, i, &name);
    if (error != nullptr) {
      TRITONSERVER_ErrorDelete(error);
      continue;
    }
    if (output == name) return true;
  }
  return false;
}

// Where one request's rows sit in the batch, and its error if it has one.
struct RequestSlice {
  TextInput input;
  size_t first_row = 0;
  std::string error;
};

}  // namespace

InstanceState::InstanceState(ModelState* model_state, TRITONBACKEND_ModelInstance* instance)
    : model_state_(model_state),
      instance_(instance),
      pipeline_(model_state->spec(), model_state->tokenizer(),
                model_state->engine().OpenSession()) {
  const char* name = nullptr;
  Check(TRITONBACKEND_ModelInstanceName(instance, &name));
  name_ = name;
}

void InstanceState::Execute(TRITONBACKEND_Request** requests, uint32_t request_count) {
  const PipelineSpec& spec = model_state_->spec();
  const uint64_t exec_start = NowNs();

  std::vector<RequestSlice> slices(request_count);
  std::vector<std::string_view> rows;
  for (uint32_t i = 0; i < request_count; ++i) {
    RequestSlice& slice = slices[i];
    slice.error = ReadTextInput(requests[i], spec.text_input, &slice.input);
    slice.first_row = rows.size();
    if (slice.error.empty()) {
      rows.insert(rows.end(), slice.input.rows.begin(), slice.input.rows.end());
    }
  }

  const uint64_t compute_start = NowNs();
  pipeline_.Run(rows, &result_);
  const uint64_t compute_end = NowNs();

  const size_t dim = static_cast<size_t>(spec.output.dim);
  uint64_t batch_rows = 0;
  for (uint32_t i = 0; i < request_count; ++i) {
    TRITONBACKEND_Request* request = requests[i];
    RequestSlice& slice = slices[i];
    const size_t count = slice.input.rows.size();
    for (size_t r = 0; slice.error.empty() && r < count; ++r) {
      const std::string& row_error = result_.errors[slice.first_row + r];
      if (!row_error.empty()) {
        slice.error = count == 1 ? row_error : "row " + std::to_string(r) + ": " + row_error;
      }
    }

    TRITONBACKEND_Response* response = nullptr;
    TRITONSERVER_Error* error = TRITONBACKEND_ResponseNew(&response, request);
    if (error != nullptr) {
      LogIfError(error, "TRITONBACKEND_ResponseNew");
    } else if (!slice.error.empty()) {
      SendFinal(response, MakeError(TRITONSERVER_ERROR_INVALID_ARG, slice.error));
    } else {
      TRITONSERVER_Error* output_error = nullptr;
      if (OutputRequested(request, spec.output.name)) {
        const int64_t shape[2] = {static_cast<int64_t>(count), static_cast<int64_t>(dim)};
        TRITONBACKEND_Output* output = nullptr;
        output_error = TRITONBACKEND_ResponseOutput(response, &output, spec.output.name.c_str(),
                                                    TRITONSERVER_TYPE_FP32, shape, 2);
        void* buffer = nullptr;
        const uint64_t bytes = count * dim * sizeof(float);
        TRITONSERVER_MemoryType memory_type = TRITONSERVER_MEMORY_CPU;
        int64_t memory_type_id = 0;
        if (output_error == nullptr) {
          output_error =
              TRITONBACKEND_OutputBuffer(output, &buffer, bytes, &memory_type, &memory_type_id);
        }
        if (output_error == nullptr && memory_type == TRITONSERVER_MEMORY_GPU) {
          output_error = MakeError(TRITONSERVER_ERROR_UNSUPPORTED,
                                   "output '" + spec.output.name + "' cannot be written to GPU memory");
        }
        if (output_error == nullptr) {
          std::memcpy(buffer, result_.embeddings.data() + slice.first_row * dim, bytes);
        }
      }
      if (output_error != nullptr) slice.error = TRITONSERVER_ErrorMessage(output_error);
      SendFinal(response, output_error);
    }
    if (slice.error.empty()) batch_rows += count;
  }

  const uint64_t exec_end = NowNs();
  for (uint32_t i = 0; i < request_count; ++i) {
    LogIfError(TRITONBACKEND_ModelInstanceReportStatistics(instance_, requests[i],
                                                           slices[i].error.empty(), exec_start,
                                                           compute_start, compute_end, exec_end),
               "TRITONBACKEND_ModelInstanceReportStatistics");
    LogIfError(TRITONBACKEND_RequestRelease(requests[i], TRITONSERVER_REQUEST_RELEASE_ALL),
               "TRITONBACKEND_RequestRelease");
  }
  if (batch_rows > 0) {
    LogIfError(TRITONBACKEND_ModelInstanceReportBatchStatistics(
                   instance_, batch_rows, exec_start, compute_start, compute_end, exec_end),
               "TRITONBACKEND_ModelInstanceReportBatchStatistics");
  }
}

}  // namespace fasterbert::triton
