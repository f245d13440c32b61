#include "engines/openvino/int8_fallback.h"

#include <cstdlib>
#include <optional>
#include <stdexcept>

namespace fasterbert::engines {
namespace {

// What the environment variable `name` forces: "1" true, "0" false, unset nothing.
std::optional<bool> Forced(const char* name) {
  const char* forced = std::getenv(name);
  if (forced == nullptr) return std::nullopt;
  const std::string value = forced;
  if (value == "1") return true;
  if (value == "0") return false;
  throw std::runtime_error(std::string(name) + " is '" + value + "'; set it to 1 or 0, or unset it");
}

}  // namespace

bool CpuHasInt8DotProduct() {
  if (const std::optional<bool> forced = Forced(kInt8DotProductEnv)) return *forced;
#if defined(__x86_64__) || defined(__i386__)
  return __builtin_cpu_supports("avx512vnni") || __builtin_cpu_supports("avxvnni");
#else
  return true;  // other CPUs: OpenVINO decides; nothing known to fall back from
#endif
}

std::string Int8FallbackReason(bool cpu_has_int8_dot_product) {
  if (!cpu_has_int8_dot_product) {
    return "this CPU has no int8 dot-product instructions (AVX-512 VNNI or AVX-VNNI), on which int8 runs slower "
           "than f32";
  }
  return "";
}

const std::string& ModelPathToLoad(const OpenVinoEngineOptions& options, bool cpu_has_int8_dot_product) {
  if (options.int8_fallback_model_path.empty() || Int8FallbackReason(cpu_has_int8_dot_product).empty()) {
    return options.model_path;
  }
  return options.int8_fallback_model_path;
}

}  // namespace fasterbert::engines
