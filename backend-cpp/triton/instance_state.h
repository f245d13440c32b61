// One Triton model instance: its own engine session and pipeline scratch,
// never shared with other instances.
#pragma once

#include <memory>
#include <string>

#include "pipeline/text_pipeline.h"
#include "triton/model_state.h"
#include "triton/triton_backend_api.h"

namespace fasterbert::triton {

class InstanceState {
 public:
  InstanceState(ModelState* model_state, TRITONBACKEND_ModelInstance* instance);

  // Answers every request (a result or its own error) and releases it.
  void Execute(TRITONBACKEND_Request** requests, uint32_t request_count);

 private:
  ModelState* model_state_;
  TRITONBACKEND_ModelInstance* instance_;
  std::string name_;
  TextPipeline pipeline_;
  BatchResult result_;
};

}  // namespace fasterbert::triton
