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
                model_state->engine().limits()),
      responder_(model_state->response_thread()) {
  const char* name = nullptr;
  Check(TRITONBACKEND_ModelInstanceName(instance, &name));
  name_ = name;
}

void InstanceState::Execute(TRITONBACKEND_Request** requests, uint32_t request_count) noexcept {
  // The one boundary around a batch: whatever is thrown (an allocation that
  // fails, a bug), every request still gets an answer and is released, and
  // the server goes on.
  std::shared_ptr<Batch> batch;
  try {
    batch = std::make_shared<Batch>();
    batch->requests.assign(requests, requests + request_count);
    batch->responded.assign(request_count, false);
    batch->released.assign(request_count, false);
    batch->result = &results_[next_result_];
    Compute(*batch);
  } catch (const std::exception& e) {
    return FailUnanswered(requests, request_count, batch.get(), e.what());
  } catch (...) {
    return FailUnanswered(requests, request_count, batch.get(), "unknown exception");
  }
  // With the response thread, the other results buffer is free: the batch
  // that used it is answered once Submit returns. Without it, this batch is
  // answered before Submit returns and its buffer serves the next one.
  if (responder_.enabled()) next_result_ = 1 - next_result_;
  try {
    responder_.Submit([this, batch] { Answer(*batch); });
  } catch (const std::exception& e) {  // the task could not be handed over
    FailUnanswered(requests, request_count, batch.get(), e.what());
  }
}

void InstanceState::Answer(Batch& batch) noexcept {
  try {
    AnswerAll(batch);
  } catch (const std::exception& e) {
    FailUnanswered(batch.requests.data(), batch.requests.size(), &batch, e.what());
  } catch (...) {
    FailUnanswered(batch.requests.data(), batch.requests.size(), &batch, "unknown exception");
  }
}

void InstanceState::FailUnanswered(TRITONBACKEND_Request* const* requests, size_t request_count,
                                   Batch* batch, const char* what) noexcept {
  const uint64_t now = NowNs();
  // Without complete bookkeeping (it failed to be made), nothing was answered yet.
  const bool tracked = batch != nullptr && batch->responded.size() == request_count &&
                       batch->released.size() == request_count;
  try {
    FASTERBERT_LOG(TRITONSERVER_LOG_ERROR, "faster-bert model '" + model_state_->name() +
                                               "' instance '" + name_ +
                                               "': a batch failed: " + what);
  } catch (...) {
  }
  for (size_t i = 0; i < request_count; ++i) {
    TRITONBACKEND_Request* request = requests[i];
    if (!tracked || !batch->responded[i]) {
      TRITONBACKEND_Response* response = nullptr;
      if (TRITONSERVER_Error* error = TRITONBACKEND_ResponseNew(&response, request)) {
        TRITONSERVER_ErrorDelete(error);
      } else {
        // A fixed message: building one may be what failed.
        SendFinal(response, TRITONSERVER_ErrorNew(TRITONSERVER_ERROR_INTERNAL,
                                                  "faster-bert: internal error while running this "
                                                  "request's batch; the server log has the details"));
      }
      if (tracked) batch->responded[i] = true;
    }
    if (!tracked || !batch->released[i]) {
      LogIfError(TRITONBACKEND_ModelInstanceReportStatistics(instance_, request, false, now,
                                                             now, now, now),
                 "TRITONBACKEND_ModelInstanceReportStatistics");
      LogIfError(TRITONBACKEND_RequestRelease(request, TRITONSERVER_REQUEST_RELEASE_ALL),
                 "TRITONBACKEND_RequestRelease");
      if (tracked) batch->released[i] = true;
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

void InstanceState::Compute(Batch& batch) {
  const PipelineSpec& spec = model_state_->spec();
  batch.exec_start = NowNs();
  const size_t request_count = batch.requests.size();
  std::vector<RequestSlice>& slices = batch.slices;
  slices.resize(request_count);
  std::vector<TextRow> rows;
  std::vector<bool> wanted(spec.outputs.size(), false);
  const bool rerank = spec.encoding.kind == EncodingKind::kQueryPassages;
  for (size_t i = 0; i < request_count; ++i) {
    TRITONBACKEND_Request* request = batch.requests[i];
    RequestSlice& slice = slices[i];
    slice.inputs.resize(spec.text_inputs.size());
    for (size_t t = 0; t < spec.text_inputs.size() && slice.error.empty(); ++t) {
      // Reranking: the passages are a list of the request's one batch row.
      const bool passages = rerank && t == 1;
      slice.error = ReadTextInput(request, spec.text_inputs[t], &slice.inputs[t],
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
    slice.requested = RequestedOutputs(request, spec);
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

  BatchResult& result = *batch.result;
  pipeline_.Run(rows, wanted, &result);
  batch.compute_end = NowNs();
  // Triton's three compute phases: input = reading the requests and
  // tokenizing (until the engine's inputs exist), infer = the engine call(s)
  // and what turns their outputs into results, output = writing and sending
  // the responses (AnswerAll, on the response thread where the model has one).
  // Clamped, so a pipeline that left the mark unset can never make a phase negative.
  batch.compute_start =
      std::min(std::max(ToNs(result.tokenized_at), batch.exec_start), batch.compute_end);
  // A request fails with its first failed row.
  for (RequestSlice& slice : slices) {
    for (size_t r = 0; slice.error.empty() && r < slice.rows; ++r) {
      const std::string& row_error = result.errors[slice.first_row + r];
      if (!row_error.empty()) {
        slice.failed_step = result.failed_step[slice.first_row + r];
        slice.error = slice.rows == 1 && !rerank
                          ? row_error
                          : (rerank ? "passage " : "row ") + std::to_string(r) + ": " + row_error;
      }
    }
  }
  if (TRITONSERVER_LogIsEnabled(TRITONSERVER_LOG_VERBOSE)) {
    // failed_requests: which executions mixed good and bad requests (tests read
    // it). Logged before any response goes, so a client that has its answer
    // finds the line.
    const size_t failed = static_cast<size_t>(std::count_if(
        slices.begin(), slices.end(), [](const RequestSlice& s) { return !s.error.empty(); }));
    FASTERBERT_LOG(TRITONSERVER_LOG_VERBOSE,
                   "faster-bert instance '" + name_ + "': requests=" +
                       std::to_string(request_count) + " rows=" + std::to_string(rows.size()) +
                       " engine_calls=" + std::to_string(result.engine_calls) +
                       " failed_requests=" + std::to_string(failed));
  }
}

void InstanceState::AnswerAll(Batch& batch) {
  const PipelineSpec& spec = model_state_->spec();
  const BatchResult& result = *batch.result;
  uint64_t batch_rows = 0;
  for (size_t i = 0; i < batch.requests.size(); ++i) {
    RequestSlice& slice = batch.slices[i];
    TRITONBACKEND_Response* response = nullptr;
    TRITONSERVER_Error* error = TRITONBACKEND_ResponseNew(&response, batch.requests[i]);
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
        output_error = WriteOutput(response, spec.outputs[o], result.outputs[o], i,
                                   slice.first_row, slice.rows);
      }
      if (output_error != nullptr) slice.error = TRITONSERVER_ErrorMessage(output_error);
      SendFinal(response, output_error);
    }
    batch.responded[i] = true;
    if (slice.error.empty()) batch_rows += slice.rows;
  }

  const uint64_t exec_end = NowNs();
  for (size_t i = 0; i < batch.requests.size(); ++i) {
    LogIfError(TRITONBACKEND_ModelInstanceReportStatistics(
                   instance_, batch.requests[i], batch.slices[i].error.empty(), batch.exec_start,
                   batch.compute_start, batch.compute_end, exec_end),
               "TRITONBACKEND_ModelInstanceReportStatistics");
    LogIfError(TRITONBACKEND_RequestRelease(batch.requests[i], TRITONSERVER_REQUEST_RELEASE_ALL),
               "TRITONBACKEND_RequestRelease");
    batch.released[i] = true;
  }
  if (batch_rows > 0) {
    LogIfError(TRITONBACKEND_ModelInstanceReportBatchStatistics(instance_, batch_rows,
                                                                batch.exec_start,
                                                                batch.compute_start,
                                                                batch.compute_end, exec_end),
               "TRITONBACKEND_ModelInstanceReportBatchStatistics");
  }
}

}  // namespace fasterbert::triton
