// Opens the engine a pipeline spec names. Each engine kind is compiled in only
// where its SDK was found at build time (OpenVINO, LibTorch, TensorRT); a
// spec naming one that is not compiled in fails at model load with a message
// that says which CMake option or SDK is missing.
#pragma once

#include <memory>
#include <string>

#include "engines/engine.h"
#include "engines/engine_spec.h"

namespace fasterbert::engines {

// `version_dir`: the model version directory the spec's file names are
// relative to; `load`: what an engine is built for at load beyond its spec.
// Throws std::runtime_error naming the file or tensor at fault, or the
// config.pbtxt parameter that does not fit the engine.
std::unique_ptr<Engine> MakeEngine(const EngineSpec& spec, const EngineLoadSettings& load,
                                   const std::string& version_dir);

}  // namespace fasterbert::engines
