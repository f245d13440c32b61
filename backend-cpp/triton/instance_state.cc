#include "triton/instance_state.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <new>
#include <vector>

#include "triton/bytes_tensor.h"
#include "triton/rerank_request.h"
#include "triton/response_output.h"
#include "triton/text_input.h"
#include "triton/triton_error.h"

namespace fasterbert::triton {
namespace {

uint64_t ToNs(std::chrono::steady_clock::time_point at) {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(at.time_since_epoch()).count());
}

uint64_t NowNs() { return ToNs(std::chrono::steady_clock::now()); }

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

// Which of the pipeline's outputs the request asks for. Triton fills in
// every output of the model when the client names none.
std::vector<bool> RequestedOutputs(TRITONBACKEND_Request* request, const PipelineSpec& spec) {
  std::vector<bool> requested(spec.outputs.size(), false);
  uint32_t count = 0;
  if (TRITONSERVER_Error* error = TRITONBACKEND_RequestOutputCount(request, &count)) {
    TRITONSERVER_ErrorDelete(error);
    requested.assign(spec.outputs.size(), true);
    return requested;
  }
  for (uint32_t i = 0; i < count; ++i) {
    const char* name = nullptr;
    TRITONSERVER_Error* error = TRITONBACKEND_RequestOutputName(request, i, &name);
    if (error != nullptr) {
      TRITONSERVER_ErrorDelete(error);
      continue;
    }
    for (size_t o = 0; o < spec.outputs.size(); ++o) {
      if (spec.outputs[o].name == name) requested[o] = true;
    }
  }
  return requested;
}

TRITONSERVER_DataType TritonType(DataType type) {
  switch (type) {
    case DataType::kFp32:
      return TRITONSERVER_TYPE_FP32;
    case DataType::kInt64:
      return TRITONSERVER_TYPE_INT64;
    case DataType::kBytes:
      return TRITONSERVER_TYPE_BYTES;
  }
  return TRITONSERVER_TYPE_INVALID;
}

// Writes one request's part of an output to the response: its rows
// [first_row, first_row + count), or its own values when the output is laid
// out per request (OutputLayout). Returns the error to send instead, or nullptr.
TRITONSERVER_Error* WriteOutput(TRITONBACKEND_Response* response, const OutputSpec& spec,
                                const OutputValues& values, size_t request, size_t first_row,
                                size_t count) {
  const size_t dim = static_cast<size_t>(std::max(spec.dim, 0));
  size_t first = 0, elements = 0;
  int64_t shape[2] = {0, 0};
  switch (values.layout) {
    case OutputLayout::kPerRow:
      // A request of zero rows (shape [0, 1]) gets empty outputs.
      first = first_row * dim;
      elements = count * dim;
      shape[0] = static_cast<int64_t>(count);
      shape[1] = static_cast<int64_t>(dim);
      break;
    case OutputLayout::kRowsAsList:
      first = first_row;
      elements = count;
      shape[0] = 1;
      shape[1] = static_cast<int64_t>(count);
      break;
    case OutputLayout::kPerRequest:
      first = request * dim;
      elements = dim;
      shape[0] = 1;
      shape[1] = static_cast<int64_t>(dim);
      break;
  }
  const DataType type = OutputDataType(spec.kind);
  uint64_t bytes = 0;
  switch (type) {
    case DataType::kFp32:
      bytes = elements * sizeof(float);
      break;
    case DataType::kInt64:
      bytes = elements * sizeof(int64_t);
      break;
    case DataType::kBytes:
      bytes = SerializedBytesSize(values.bytes.data() + first, elements);
      break;
  }
  void* buffer = nullptr;
  TRITONSERVER_Error* error =
      NewHostOutput(response, spec.name, TritonType(type), shape, bytes, &buffer);
  if (error != nullptr) return error;
  if (bytes == 0) return nullptr;  // no rows: nothing to copy, and the buffer may be null
  switch (type) {
    case DataType::kFp32:
      std::memcpy(buffer, values.fp32.data() + first, bytes);
      break;
    case DataType::kInt64:
      std::memcpy(buffer, values.int64.data() + first, bytes);
      break;
    case DataType::kBytes:
      SerializeBytesElements(values.bytes.data() + first, elements, static_cast<char*>(buffer));
      break;
  }
  return nullptr;
}

// Triton's instance_group says where this instance runs; a GPU engine opens
// its session on that device.
engines::SessionPlacement PlacementOf(TRITONBACKEND_ModelInstance* instance) {
  TRITONSERVER_InstanceGroupKind kind = TRITONSERVER_INSTANCEGROUPKIND_CPU;
  Check(TRITONBACKEND_ModelInstanceKind(instance, &kind));
  int32_t device_id = 0;
  Check(TRITONBACKEND_ModelInstanceDeviceId(instance, &device_id));
  return {kind == TRITONSERVER_INSTANCEGROUPKIND_GPU, static_cast<int>(device_id)};
}

}  // namespace

InstanceState::InstanceState(ModelState* model_state, TRITONBACKEND_ModelInstance* instance)
    : model_state_(model_state),
      instance_(instance),
      pipeline_(model_state->spec(), model_state->tokenizer(),
                model_state->engine().OpenSession(PlacementOf(instance)),
                model_state->engine().limits()) {
  const char* name = nullptr;
  Check(TRITONBACKEND_ModelInstanceName(instance, &name));
  name_ = name;
}

void InstanceState::Execute(TRITONBACKEND_Request** requests, uint32_t request_count) noexcept {
  // The one boundary around a batch: whatever is thrown (an allocation that
  // fails, a bug), every request still gets an answer and is released, and
  // the server goes on.
  try {
    responded_.assign(request_count, false);
    released_.assign(request_count, false);
    ExecuteBatch(requests, request_count);
  } catch (const std::exception& e) {
    FailUnanswered(requests, request_count, e.what());
  } catch (...) {
    FailUnanswered(requests, request_count, "unknown exception");
  }
}

void InstanceState::FailUnanswered(TRITONBACKEND_Request** requests, uint32_t request_count,
                                   const char* what) noexcept {
  const uint64_t now = NowNs();
  if (responded_.size() != request_count || released_.size() != request_count) {
    responded_.clear();  // the failure came before any request was touched
    released_.clear();
  }
  try {
    FASTERBERT_LOG(TRITONSERVER_LOG_ERROR, "faster-bert model '" + model_state_->name() +
                                               "' instance '" + name_ +
                                               "': a batch failed: " + what);
  } catch (...) {
  }
  for (uint32_t i = 0; i < request_count; ++i) {
    if (responded_.empty() || !responded_[i]) {
      TRITONBACKEND_Response* response = nullptr;
      if (TRITONSERVER_Error* error = TRITONBACKEND_ResponseNew(&response, requests[i])) {
        TRITONSERVER_ErrorDelete(error);
      } else {
        // A fixed message: building one may be what failed.
        SendFinal(response, TRITONSERVER_ErrorNew(TRITONSERVER_ERROR_INTERNAL,
                                                  "faster-bert: internal error while running this "
                                                  "request's batch; the server log has the details"));
      }
    }
    if (released_.empty() || !released_[i]) {
      LogIfError(TRITONBACKEND_ModelInstanceReportStatistics(instance_, requests[i], false, now,
                                                             now, now, now),
                 "TRITONBACKEND_ModelInstanceReportStatistics");
      LogIfError(TRITONBACKEND_RequestRelease(requests[i], TRITONSERVER_REQUEST_RELEASE_ALL),
                 "TRITONBACKEND_RequestRelease");
    }
  }
}

// The response error of a request whose row failed: the client's fault
// (INVALID_ARG, 400, with the reason) or ours (INTERNAL, 500, naming the model
// and step; the detail goes to the server log, not to the client).
TRITONSERVER_Error* InstanceState::RequestError(const RequestSlice& slice) const {
  if (slice.failed_step == nullptr) return MakeError(TRITONSERVER_ERROR_INVALID_ARG, slice.error);
  FASTERBERT_LOG(TRITONSERVER_LOG_ERROR, "faster-bert model '" + model_state_->name() +
                                             "' instance '" + name_ + "': the " +
                                             slice.failed_step + " step failed for a request: " +
                                             slice.error);
  return MakeError(TRITONSERVER_ERROR_INTERNAL,
                   "model '" + model_state_->name() + "': the " + slice.failed_step +
                       " step failed for this request; the server log has the details");
}

void InstanceState::ExecuteBatch(TRITONBACKEND_Request** requests, uint32_t request_count) {
  const PipelineSpec& spec = model_state_->spec();
  const uint64_t exec_start = NowNs();

  std::vector<RequestSlice> slices(request_count);
  std::vector<TextRow> rows;
  std::vector<bool> wanted(spec.outputs.size(), false);
  const bool rerank = spec.encoding.kind == EncodingKind::kQueryPassages;
  for (uint32_t i = 0; i < request_count; ++i) {
    RequestSlice& slice = slices[i];
    slice.inputs.resize(spec.text_inputs.size());
    for (size_t t = 0; t < spec.text_inputs.size() && slice.error.empty(); ++t) {
      // Reranking: the passages are a list of the request's one batch row.
      const bool passages = rerank && t == 1;
      slice.error = ReadTextInput(requests[i], spec.text_inputs[t], &slice.inputs[t],
                                  passages ? TextLayout::kListInOneRow : TextLayout::kOnePerRow,
                                  passages ? PassagesLimit(spec) : ListLimit{});
    }
    if (slice.error.empty() && rerank) {
      slice.error = CheckRerankRequest(spec, slice.inputs[0], slice.inputs[1]);
      slice.rows = slice.inputs[1].rows.size();  // one pair row per passage
    } else if (slice.error.empty()) {
      slice.rows = slice.inputs[0].rows.size();
      for (size_t t = 1; t < slice.inputs.size(); ++t) {
        if (slice.inputs[t].rows.size() != slice.rows) {
          slice.error = "input '" + spec.text_inputs[t] + "' has " +
                        std::to_string(slice.inputs[t].rows.size()) + " rows but input '" +
                        spec.text_inputs[0] + "' has " + std::to_string(slice.rows) +
                        "; send one of each per row";
        }
      }
    }
    slice.first_row = rows.size();
    if (!slice.error.empty()) {
      slice.rows = 0;
      continue;
    }
    slice.requested = RequestedOutputs(requests[i], spec);
    for (size_t o = 0; o < wanted.size(); ++o) wanted[o] = wanted[o] || slice.requested[o];
    for (size_t r = 0; r < slice.rows; ++r) {
      TextRow row;
      row.request = i;
      row.text = slice.inputs[0].rows[rerank ? 0 : r];
      if (slice.inputs.size() > 1) row.second = slice.inputs[1].rows[r];
      if (!model_state_->faults().batch_throw_text.empty() &&
          row.text == model_state_->faults().batch_throw_text) {
        throw std::bad_alloc();  // injected (tests only): as if an allocation failed here
      }
      rows.push_back(row);
    }
  }

  pipeline_.Run(rows, wanted, &result_);
  const uint64_t compute_end = NowNs();
  // Triton's three compute phases: input = reading the requests and
  // tokenizing (until the engine's inputs exist), infer = the engine call(s)
  // and what turns their outputs into results, output = writing and sending
  // the responses.
  // Clamped, so a pipeline that left the mark unset can never make a phase negative.
  const uint64_t compute_start =
      std::min(std::max(ToNs(result_.tokenized_at), exec_start), compute_end);
  uint64_t batch_rows = 0;
  for (uint32_t i = 0; i < request_count; ++i) {
    TRITONBACKEND_Request* request = requests[i];
    RequestSlice& slice = slices[i];
    const size_t count = slice.rows;
    for (size_t r = 0; slice.error.empty() && r < count; ++r) {
      const std::string& row_error = result_.errors[slice.first_row + r];
      if (!row_error.empty()) {
        slice.failed_step = result_.failed_step[slice.first_row + r];
        slice.error = count == 1 && !rerank
                          ? row_error
                          : (rerank ? "passage " : "row ") + std::to_string(r) + ": " + row_error;
      }
    }

    TRITONBACKEND_Response* response = nullptr;
    TRITONSERVER_Error* error = TRITONBACKEND_ResponseNew(&response, request);
    if (error != nullptr) {
      // No response can be made: the request counts as failed and is released.
      slice.error = TRITONSERVER_ErrorMessage(error);
      LogIfError(error, "TRITONBACKEND_ResponseNew");
    } else if (!slice.error.empty()) {
      SendFinal(response, RequestError(slice));
    } else {
      TRITONSERVER_Error* output_error = nullptr;
      for (size_t o = 0; o < spec.outputs.size() && output_error == nullptr; ++o) {
        if (!slice.requested[o]) continue;
        output_error = WriteOutput(response, spec.outputs[o], result_.outputs[o], i,
                                   slice.first_row, count);
      }
      if (output_error != nullptr) slice.error = TRITONSERVER_ErrorMessage(output_error);
      SendFinal(response, output_error);
    }
    responded_[i] = true;
    if (slice.error.empty()) batch_rows += count;
  }

  if (TRITONSERVER_LogIsEnabled(TRITONSERVER_LOG_VERBOSE)) {
    // failed_requests: which executions mixed good and bad requests (tests read it).
    const size_t failed = static_cast<size_t>(std::count_if(
        slices.begin(), slices.end(), [](const RequestSlice& s) { return !s.error.empty(); }));
    FASTERBERT_LOG(TRITONSERVER_LOG_VERBOSE,
                   "faster-bert instance '" + name_ + "': requests=" +
                       std::to_string(request_count) + " rows=" + std::to_string(rows.size()) +
                       " engine_calls=" + std::to_string(result_.engine_calls) +
                       " failed_requests=" + std::to_string(failed));
  }

  const uint64_t exec_end = NowNs();
  for (uint32_t i = 0; i < request_count; ++i) {
    LogIfError(TRITONBACKEND_ModelInstanceReportStatistics(instance_, requests[i],
                                                           slices[i].error.empty(), exec_start,
                                                           compute_start, compute_end, exec_end),
               "TRITONBACKEND_ModelInstanceReportStatistics");
    LogIfError(TRITONBACKEND_RequestRelease(requests[i], TRITONSERVER_REQUEST_RELEASE_ALL),
               "TRITONBACKEND_RequestRelease");
    released_[i] = true;
  }
  if (batch_rows > 0) {
    LogIfError(TRITONBACKEND_ModelInstanceReportBatchStatistics(
                   instance_, batch_rows, exec_start, compute_start, compute_end, exec_end),
               "TRITONBACKEND_ModelInstanceReportBatchStatistics");
  }
}

}  // namespace fasterbert::triton
