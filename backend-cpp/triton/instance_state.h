// One Triton model instance: its own engine session and pipeline scratch,
// never shared with other instances.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "pipeline/text_pipeline.h"
#include "triton/model_state.h"
#include "triton/text_input.h"
#include "triton/triton_backend_api.h"

namespace fasterbert::triton {

class InstanceState {
 public:
  InstanceState(ModelState* model_state, TRITONBACKEND_ModelInstance* instance);

  // Answers every request (a result or its own error) and releases it,
  // whatever fails on the way.
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

  void ExecuteBatch(TRITONBACKEND_Request** requests, uint32_t request_count);
  // After an exception: an INTERNAL error for every request not yet answered,
  // and a release for every one not yet released.
  void FailUnanswered(TRITONBACKEND_Request** requests, uint32_t request_count,
                      const char* what) noexcept;
  TRITONSERVER_Error* RequestError(const RequestSlice& slice) const;

  ModelState* model_state_;
  TRITONBACKEND_ModelInstance* instance_;
  std::string name_;
  TextPipeline pipeline_;
  BatchResult result_;
  std::vector<bool> responded_, released_;  // per request of the batch in Execute
};

}  // namespace fasterbert::triton
