// One Triton model instance: its own engine session and pipeline scratch,
// never shared with other instances.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "pipeline/text_pipeline.h"
#include "triton/model_state.h"
#include "triton/response_thread.h"
#include "triton/text_input.h"
#include "triton/triton_backend_api.h"

namespace fasterbert::triton {

class InstanceState {
 public:
  InstanceState(ModelState* model_state, TRITONBACKEND_ModelInstance* instance);

  // Computes the batch, then answers every request (a result or its own
  // error) and releases it, whatever fails on the way: here, or on the
  // response thread when the model enables it (returning once it took it).
  void Execute(TRITONBACKEND_Request** requests, uint32_t request_count) noexcept;

 private:
  // Where one request's rows sit in the batch, and its error if it has one.
  struct RequestSlice {
    std::vector<TextInput> inputs;  // one per text input of the pipeline
    std::vector<bool> requested;    // per pipeline output
    size_t rows = 0;
    size_t first_row = 0;
    std::string error;
    const char* failed_step = nullptr;  // set when the error is ours, not the request's
  };

  // One batch between Execute and its last release: its requests, where
  // their rows sit, the pipeline's results and Triton's timestamps.
  struct Batch {
    std::vector<TRITONBACKEND_Request*> requests;
    std::vector<RequestSlice> slices;
    BatchResult* result = nullptr;  // one of results_
    uint64_t exec_start = 0, compute_start = 0, compute_end = 0;
    std::vector<bool> responded, released;  // per request
  };

  // Reads the requests and runs the pipeline (the instance's thread).
  void Compute(Batch& batch);
  // Sends the responses, reports statistics, releases (the response thread).
  void Answer(Batch& batch) noexcept;
  void AnswerAll(Batch& batch);
  // After an exception: an INTERNAL error for every request not yet answered,
  // and a release for every one not yet released (per `batch`'s bookkeeping;
  // all of them when it is null or incomplete).
  void FailUnanswered(TRITONBACKEND_Request* const* requests, size_t request_count, Batch* batch,
                      const char* what) noexcept;
  TRITONSERVER_Error* RequestError(const RequestSlice& slice) const;

  ModelState* model_state_;
  TRITONBACKEND_ModelInstance* instance_;
  std::string name_;
  TextPipeline pipeline_;
  // With the response thread, two used in turn: the pipeline fills one while
  // the thread answers from the other (it holds at most one batch). Without
  // it, only the first.
  BatchResult results_[2];
  int next_result_ = 0;
  // Last member: destroyed first, answering the batch in hand while the
  // pipeline and results still exist.
  ResponseThread responder_;
};

}  // namespace fasterbert::triton
