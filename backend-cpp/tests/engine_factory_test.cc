// The engine factory refuses config.pbtxt's OpenVINO parameters where they
// cannot apply, before it opens any model file: for a pipeline whose engine
// is not OpenVINO (they would be silently ignored), and fewer threads than
// instances (OpenVINO would give the instances fewer streams than asked).
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "engines/engine_factory.h"

namespace fasterbert::engines {
namespace {

std::string LoadError(EngineKind kind, const EngineLoadSettings& load) {
  EngineSpec spec;
  spec.kind = kind;
  spec.model_file = "model.plan";
  try {
    MakeEngine(spec, load, "/nonexistent");
  } catch (const std::exception& e) {  // an engine's own loader may throw its own kind
    return e.what();
  }
  return "(loaded)";
}

TEST(EngineFactoryTest, RefusesOpenVinoParametersForAnotherEngine) {
  EngineLoadSettings threads;
  threads.inference_num_threads = 4;
  EngineLoadSettings pinning;
  pinning.cpu_pinning = false;
  for (const EngineKind kind : {EngineKind::kAotInductor, EngineKind::kTensorRt}) {
    for (const EngineLoadSettings& load : {threads, pinning}) {
      EXPECT_EQ(LoadError(kind, load),
                "config.pbtxt parameters INFERENCE_NUM_THREADS and ENABLE_CPU_PINNING tune the OpenVINO "
                "engine, and this pipeline's engine is another: remove them");
    }
    // Without them the factory goes on to the engine (not built in here, or
    // no such file): some other error.
    EXPECT_EQ(LoadError(kind, {}).find("INFERENCE_NUM_THREADS"), std::string::npos);
  }
}

TEST(EngineFactoryTest, RefusesFewerOpenVinoThreadsThanInstances) {
  EngineLoadSettings load;
  load.sessions = 2;
  load.inference_num_threads = 1;
  EXPECT_EQ(LoadError(EngineKind::kOpenVino, load),
            "config.pbtxt parameter INFERENCE_NUM_THREADS is 1, fewer than the 2 instances: each instance's "
            "OpenVINO stream needs a thread of its own");
  load.inference_num_threads = 2;
  EXPECT_EQ(LoadError(EngineKind::kOpenVino, load).find("INFERENCE_NUM_THREADS"), std::string::npos);
}

}  // namespace
}  // namespace fasterbert::engines
