#include "triton/instance_state.h"

#include <algorithm>
#include <chrono>
#include <cstring>
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

// Writes rows [first_row, first_row + count) of one output to the response;
// returns the error to send instead, or nullptr.
TRITONSERVER_Error* WriteOutput(TRITONBACKEND_Response* response, const OutputSpec& spec,
                                const OutputValues& values, size_t first_row, size_t count) {
  const size_t dim = static_cast<size_t>(spec.dim);
  const size_t first = first_row * dim;
  const size_t elements = count * dim;
  const DataType type = OutputDataType(spec.kind);
  const int64_t shape[2] = {static_cast<int64_t>(count), static_cast<int64_t>(dim)};
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

// Where one request's rows sit in the batch, and its error if it has one.
struct RequestSlice {
  std::vector<TextInput> inputs;  // one per text input of the pipeline
  std::vector<bool> requested;    // per pipeline output
  size_t rows = 0;
  size_t first_row = 0;
  std::string error;
};

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

void InstanceState::Execute(TRITONBACKEND_Request** requests, uint32_t request_count) {
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
      const TextLayout layout =
          rerank && t == 1 ? TextLayout::kListInOneRow : TextLayout::kOnePerRow;
      slice.error = ReadTextInput(requests[i], spec.text_inputs[t], &slice.inputs[t], layout);
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
      row.text = slice.inputs[0].rows[rerank ? 0 : r];
      if (slice.inputs.size() > 1) row.second = slice.inputs[1].rows[r];
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
  if (TRITONSERVER_LogIsEnabled(TRITONSERVER_LOG_VERBOSE)) {
    FASTERBERT_LOG(TRITONSERVER_LOG_VERBOSE,
                   "faster-bert instance '" + name_ + "': requests=" +
                       std::to_string(request_count) + " rows=" + std::to_string(rows.size()) +
                       " engine_calls=" + std::to_string(result_.engine_calls));
  }

  uint64_t batch_rows = 0;
  for (uint32_t i = 0; i < request_count; ++i) {
    TRITONBACKEND_Request* request = requests[i];
    RequestSlice& slice = slices[i];
    const size_t count = slice.rows;
    for (size_t r = 0; slice.error.empty() && r < count; ++r) {
      const std::string& row_error = result_.errors[slice.first_row + r];
      if (!row_error.empty()) {
        slice.error = count == 1 && !rerank
                          ? row_error
                          : (rerank ? "passage " : "row ") + std::to_string(r) + ": " + row_error;
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
      for (size_t o = 0; o < spec.outputs.size() && output_error == nullptr; ++o) {
        if (!slice.requested[o]) continue;
        output_error = IsRerankOutput(spec.outputs[o].kind)
                           ? WriteRerankOutput(response, spec.outputs[o], result_.pair_scores,
                                               slice.first_row, count)
                           : WriteOutput(response, spec.outputs[o], result_.outputs[o],
                                         slice.first_row, count);
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
