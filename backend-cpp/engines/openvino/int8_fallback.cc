#include "engines/openvino/int8_fallback.h"

#include <cstdlib>
#include <stdexcept>

namespace fasterbert::engines {

bool CpuHasInt8DotProduct() {
  if (const char* forced = std::getenv(kInt8DotProductEnv); forced != nullptr) {
    const std::string value = forced;
    if (value == "1") return true;
    if (value == "0") return false;
    throw std::runtime_error(std::string(kInt8DotProductEnv) + " is '" + value + "'; set it to 1 or 0, or unset it");
  }
#if defined(__x86_64__) || defined(__i386__)
  return __builtin_cpu_supports("avx512vnni") || __builtin_cpu_supports("avxvnni");
#else
  return true;  // other CPUs: OpenVINO decides; nothing known to fall back from
#endif
}

const std::string& ModelPathToLoad(const OpenVinoEngineOptions& options, bool cpu_has_int8_dot_product) {
  if (cpu_has_int8_dot_product || options.int8_fallback_model_path.empty()) return options.model_path;
  return options.int8_fallback_model_path;
}

}  // namespace fasterbert::engines
