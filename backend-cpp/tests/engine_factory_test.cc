// The engine factory refuses config.pbtxt's OpenVINO parameters for a
// pipeline whose engine is not OpenVINO, before it opens any model file:
// a deployment that sets them there would otherwise be silently ignored.
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
  } catch (const std::runtime_error& e) {
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

}  // namespace
}  // namespace fasterbert::engines
