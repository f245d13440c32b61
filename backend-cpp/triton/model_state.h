// What one Triton model shares between its instances, read-only after load:
// the pipeline spec, the tokenizer and the compiled engine.
#pragma once

#include <memory>
#include <string>

#include "engines/engine.h"
#include "engines/fault_injection.h"
#include "pipeline/pipeline_spec.h"
#include "text/json.h"
#include "text/tokenizer.h"
#include "triton/triton_backend_api.h"

namespace fasterbert::triton {

class ModelState {
 public:
  // Throws std::runtime_error with a message for the server log when an
  // asset is missing or does not match the spec.
  explicit ModelState(TRITONBACKEND_Model* model);

  const std::string& name() const { return name_; }
  const PipelineSpec& spec() const { return spec_; }
  const text::Tokenizer& tokenizer() const { return *tokenizer_; }
  engines::Engine& engine() { return *engine_; }
  // Test-only faults (engines/fault_injection.h); none in production.
  const engines::FaultInjection& faults() const { return faults_; }
  // Whether instances send responses from a thread of their own
  // (config.pbtxt parameter response_thread; default false).
  bool response_thread() const { return response_thread_; }

 private:
  // Throws when config.pbtxt and the compiled spec differ (triton/config_check.h).
  void CheckConfigMatchesSpec(const text::JsonValue& config) const;

  std::string name_;
  std::string version_dir_;
  PipelineSpec spec_;
  std::unique_ptr<text::Tokenizer> tokenizer_;
  engines::FaultInjection faults_;
  bool response_thread_ = false;
  std::unique_ptr<engines::Engine> engine_;
};

}  // namespace fasterbert::triton
