// The TensorRT adapter (backend-cpp/engines/tensorrt/tensorrt_engine.cc)
// linked with TensorRT's real lean runtime (PyPI tensorrt-lean-cu13-libs),
// run on a GPU: the runtime is created, files that are not plans are refused
// with a clear error and no crash, an ONNX model is refused because the lean
// runtime has no builder, and refusing hundreds of times leaks neither host
// nor GPU memory. Prints one JSON object; run.sh asserts on it.
#include <NvInfer.h>
#include <cuda_runtime_api.h>

#include <cstdio>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "engines/tensorrt/tensorrt_engine.h"

namespace {

using fasterbert::engines::MakeTensorRtEngine;
using fasterbert::engines::TensorRtEngineOptions;

void Write(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// The message MakeTensorRtEngine throws for `path`, or "" when it loads.
std::string Refusal(const std::string& path) {
  TensorRtEngineOptions options;
  options.model_path = path;
  options.binding.input_ids = "input_ids";
  options.binding.attention_mask = "attention_mask";
  options.binding.outputs = {{"last_hidden_state", true, 8}};
  try {
    MakeTensorRtEngine(options);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

long ResidentKiB() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * 4;
}

size_t GpuFreeBytes() {
  size_t free = 0, total = 0;
  cudaMemGetInfo(&free, &total);
  return free;
}

std::string Json(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

}  // namespace

int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? argv[1] : "/tmp";
  std::mt19937 random(7);
  std::string noise(4096, '\0');
  for (char& c : noise) c = static_cast<char>(random() & 0xff);
  Write(dir + "/random.plan", noise);
  Write(dir + "/text.plan", "this is not a TensorRT plan\n");
  Write(dir + "/empty.plan", "");
  Write(dir + "/model.onnx", noise);

  std::printf("{\n  \"lib_version\": %d,\n  \"header_version\": %ld,\n", getInferLibVersion(),
              static_cast<long>(NV_TENSORRT_VERSION));
  int devices = 0;
  if (cudaGetDeviceCount(&devices) != cudaSuccess || devices == 0) {
    // Without a GPU this lean runtime returns an invalid pointer instead of
    // null from createInferRuntime (seen with 11.4): the adapter checks the
    // GPU before it creates a runtime, and so does this test.
    std::printf("  \"gpus\": 0\n}\n");
    return 2;
  }
  std::printf("  \"gpus\": %d,\n", devices);
  {
    // The runtime itself, as the adapter creates it.
    struct Quiet : nvinfer1::ILogger {
      void log(Severity, const char*) noexcept override {}
    } quiet;
    nvinfer1::IRuntime* runtime = nvinfer1::createInferRuntime(quiet);
    std::printf("  \"runtime_created\": %s,\n", runtime != nullptr ? "true" : "false");
    delete runtime;
  }
  const char* cases[] = {"random.plan", "text.plan", "empty.plan", "missing.plan", "model.onnx"};
  std::printf("  \"refusals\": {\n");
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); ++i) {
    std::printf("    %s: %s%s\n", Json(cases[i]).c_str(), Json(Refusal(dir + "/" + cases[i])).c_str(),
                i + 1 < sizeof(cases) / sizeof(cases[0]) ? "," : "");
  }
  std::printf("  },\n");
  // Leaks: warm up (the runtime's one-time state), then refuse many times.
  for (int i = 0; i < 20; ++i) Refusal(dir + "/random.plan");
  const long rss_before = ResidentKiB();
  const size_t gpu_before = GpuFreeBytes();
  const int rounds = 300;
  int refused = 0;
  for (int i = 0; i < rounds; ++i) refused += Refusal(dir + "/random.plan").empty() ? 0 : 1;
  std::printf("  \"leak_rounds\": %d,\n  \"leak_refused\": %d,\n", rounds, refused);
  std::printf("  \"rss_growth_kib\": %ld,\n", ResidentKiB() - rss_before);
  std::printf("  \"gpu_free_drop_bytes\": %lld\n}\n",
              static_cast<long long>(gpu_before) - static_cast<long long>(GpuFreeBytes()));
  return 0;
}
