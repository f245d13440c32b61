// The TRITONBACKEND_* entry points Triton calls. Each turns C++ exceptions
// into a TRITONSERVER_Error, so nothing ever unwinds into the server.
#include <exception>
#include <memory>
#include <string>

#include "triton/instance_state.h"
#include "triton/model_state.h"
#include "triton/triton_backend_api.h"
#include "triton/triton_error.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

namespace {

using fasterbert::triton::InstanceState;
using fasterbert::triton::ModelState;

template <typename Body>
TRITONSERVER_Error* Guard(const char* what, Body&& body) {
  try {
    body();
    return nullptr;
  } catch (const fasterbert::triton::TritonCallError& e) {
    return e.error;
  } catch (const std::exception& e) {
    return fasterbert::triton::MakeError(TRITONSERVER_ERROR_INTERNAL,
                                         std::string(what) + ": " + e.what());
  } catch (...) {
    return fasterbert::triton::MakeError(TRITONSERVER_ERROR_INTERNAL,
                                         std::string(what) + ": unknown exception");
  }
}

}  // namespace

extern "C" {

TRITONSERVER_Error* TRITONBACKEND_ApiVersion(uint32_t* major, uint32_t* minor) {
  *major = kTritonBackendApiVersionMajor;
  *minor = kTritonBackendApiVersionMinor;
  return nullptr;
}

TRITONSERVER_Error* TRITONBACKEND_ModelInitialize(TRITONBACKEND_Model* model) {
  return Guard("loading the faster-bert model", [&] {
    auto state = std::make_unique<ModelState>(model);
    fasterbert::triton::Check(TRITONBACKEND_ModelSetState(model, state.get()));
    state.release();
  });
}

TRITONSERVER_Error* TRITONBACKEND_ModelFinalize(TRITONBACKEND_Model* model) {
  return Guard("unloading the faster-bert model", [&] {
    void* state = nullptr;
    fasterbert::triton::Check(TRITONBACKEND_ModelState(model, &state));
    delete static_cast<ModelState*>(state);
#if defined(__SANITIZE_ADDRESS__)
    // Sanitizer builds (scripts/test-asan.sh): everything the model held is
    // freed now, so look for leaks here. At exit would be too late: the
    // uninstrumented server can hang in its own library destructors first.
    __lsan_do_recoverable_leak_check();
#endif
  });
}

TRITONSERVER_Error* TRITONBACKEND_ModelInstanceInitialize(TRITONBACKEND_ModelInstance* instance) {
  return Guard("creating a faster-bert instance", [&] {
    TRITONBACKEND_Model* model = nullptr;
    fasterbert::triton::Check(TRITONBACKEND_ModelInstanceModel(instance, &model));
    void* model_state = nullptr;
    fasterbert::triton::Check(TRITONBACKEND_ModelState(model, &model_state));
    auto state = std::make_unique<InstanceState>(static_cast<ModelState*>(model_state), instance);
    fasterbert::triton::Check(TRITONBACKEND_ModelInstanceSetState(instance, state.get()));
    state.release();
  });
}

TRITONSERVER_Error* TRITONBACKEND_ModelInstanceFinalize(TRITONBACKEND_ModelInstance* instance) {
  return Guard("removing a faster-bert instance", [&] {
    void* state = nullptr;
    fasterbert::triton::Check(TRITONBACKEND_ModelInstanceState(instance, &state));
    delete static_cast<InstanceState*>(state);
  });
}

TRITONSERVER_Error* TRITONBACKEND_ModelInstanceExecute(TRITONBACKEND_ModelInstance* instance,
                                                       TRITONBACKEND_Request** requests,
                                                       const uint32_t request_count) {
  // Execute answers and releases every request itself, so it must not return
  // an error after touching them: Triton would then own them again. Failures
  // become per-request error responses inside Execute, whose own boundary
  // catches everything (it is noexcept).
  void* state = nullptr;
  TRITONSERVER_Error* error = TRITONBACKEND_ModelInstanceState(instance, &state);
  if (error != nullptr) return error;
  static_cast<InstanceState*>(state)->Execute(requests, request_count);
  return nullptr;
}

}  // extern "C"
