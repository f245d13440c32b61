// Issue 20: does cuBLASLt hold a faster algorithm for the encoder's matmuls
// than the one its heuristic ranks first (the one PyTorch's addmm, and so the
// AOTInductor package, runs)? For each matmul at each token count it asks the
// heuristic for up to --requested algorithms (with a 1 MiB and a 32 MiB
// workspace), adds split-K variants of the first few, and times every one
// that cuBLASLt accepts from a CUDA graph that runs the matmul once per layer
// with 12 layers' weights (as gemm_probe.py times torch's call), after
// checking its output against the first-ranked algorithm's.
//
// build: nvcc -O2 -std=c++17 -arch=sm_90 lt_algo_probe.cu -lcublasLt -o lt_algo_probe
// usage: lt_algo_probe [--tokens 1054,4462,15541] [--requested 64] [--splitk-of 8]
// prints one JSON object per line.
#include <cublasLt.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

namespace {

void Check(cudaError_t status, const char* what) {
  if (status != cudaSuccess) {
    std::fprintf(stderr, "lt_algo_probe: %s: %s\n", what, cudaGetErrorString(status));
    std::exit(1);
  }
}

void Check(cublasStatus_t status, const char* what) {
  if (status != CUBLAS_STATUS_SUCCESS) {
    std::fprintf(stderr, "lt_algo_probe: %s: cuBLAS status %d\n", what, static_cast<int>(status));
    std::exit(1);
  }
}

// Uniform values of standard deviation `scale` from a hash of the index.
__global__ void FillKernel(half* out, size_t n, uint32_t seed, float scale) {
  const size_t i = blockIdx.x * static_cast<size_t>(blockDim.x) + threadIdx.x;
  if (i >= n) return;
  uint32_t h = static_cast<uint32_t>(i) * 2654435761u ^ seed;
  h ^= h >> 13;
  h *= 0x5bd1e995u;
  h ^= h >> 15;
  const float u = static_cast<float>(h & 0xffffu) / 65535.0f * 2.0f - 1.0f;
  out[i] = __float2half(u * scale * 1.7320508f);
}

half* Random(size_t n, uint32_t seed, float scale) {
  half* p = nullptr;
  Check(cudaMalloc(&p, n * sizeof(half)), "cudaMalloc");
  FillKernel<<<static_cast<unsigned>((n + 255) / 256), 256>>>(p, n, seed, scale);
  Check(cudaGetLastError(), "fill");
  return p;
}

struct Gemm {
  const char* name;
  int k, n;
  bool gelu;
};

const Gemm kGemms[] = {{"qkv", 768, 2304, false},
                       {"attn_out", 768, 768, false},
                       {"ffn_up", 768, 3072, true},
                       {"ffn_down", 3072, 768, false}};
constexpr int kLayers = 12;

// One algorithm's configuration, read through the generic getter (each
// attribute's size asked first, so the types of this CUDA's header do not matter).
std::string Describe(const cublasLtMatmulAlgo_t& algo) {
  const std::pair<cublasLtMatmulAlgoConfigAttributes_t, const char*> attrs[] = {
      {CUBLASLT_ALGO_CONFIG_ID, "id"},
      {CUBLASLT_ALGO_CONFIG_TILE_ID, "tile"},
      {CUBLASLT_ALGO_CONFIG_STAGES_ID, "stages"},
      {CUBLASLT_ALGO_CONFIG_SPLITK_NUM, "splitk"},
      {CUBLASLT_ALGO_CONFIG_REDUCTION_SCHEME, "reduction"},
      {CUBLASLT_ALGO_CONFIG_CTA_SWIZZLING, "swizzle"},
      {CUBLASLT_ALGO_CONFIG_CUSTOM_OPTION, "custom"},
      {CUBLASLT_ALGO_CONFIG_INNER_SHAPE_ID, "inner"},
      {CUBLASLT_ALGO_CONFIG_CLUSTER_SHAPE_ID, "cluster"},
  };
  std::ostringstream out;
  bool first = true;
  for (const auto& [attr, name] : attrs) {
    size_t size = 0;
    if (cublasLtMatmulAlgoConfigGetAttribute(&algo, attr, nullptr, 0, &size) != CUBLAS_STATUS_SUCCESS ||
        size == 0 || size > 8) {
      continue;
    }
    uint64_t value = 0;
    if (cublasLtMatmulAlgoConfigGetAttribute(&algo, attr, &value, size, &size) != CUBLAS_STATUS_SUCCESS) continue;
    out << (first ? "" : ", ") << '"' << name << "\": " << value;
    first = false;
  }
  return out.str();
}

bool SameAlgo(const cublasLtMatmulAlgo_t& a, const cublasLtMatmulAlgo_t& b) {
  return std::memcmp(&a, &b, sizeof(a)) == 0;
}

struct Candidate {
  cublasLtMatmulAlgo_t algo;
  std::string source;
  size_t workspace;
  float waves;
};

struct Problem {
  cublasLtHandle_t lt;
  cublasLtMatmulDesc_t desc;
  cublasLtMatrixLayout_t a, b, c;
  const half* x;
  std::vector<half*> weights, biases;
  half* out;
  void* workspace;
  size_t workspace_bytes;
  cudaStream_t stream;

  // The layer's matmul: out = x w^T + b (GELU after it for ffn_up), as
  // PyTorch's addmm lays it out for cuBLAS (column-major: out^T = w x^T).
  cublasStatus_t Run(const cublasLtMatmulAlgo_t& algo, int layer) {
    const float alpha = 1.0f, beta = 0.0f;
    const void* bias = biases[static_cast<size_t>(layer)];
    cublasStatus_t s =
        cublasLtMatmulDescSetAttribute(desc, CUBLASLT_MATMUL_DESC_BIAS_POINTER, &bias, sizeof(bias));
    if (s != CUBLAS_STATUS_SUCCESS) return s;
    return cublasLtMatmul(lt, desc, &alpha, weights[static_cast<size_t>(layer)], a, x, b, &beta, out, c, out, c,
                          &algo, workspace, workspace_bytes, stream);
  }
};

// Median µs of one matmul, the 12 layers' calls replayed from one graph.
double TimeAlgo(Problem& p, const cublasLtMatmulAlgo_t& algo) {
  cudaGraph_t graph;
  cudaGraphExec_t exec;
  Check(cudaStreamBeginCapture(p.stream, cudaStreamCaptureModeThreadLocal), "begin capture");
  cublasStatus_t status = CUBLAS_STATUS_SUCCESS;
  for (int layer = 0; layer < kLayers && status == CUBLAS_STATUS_SUCCESS; ++layer) status = p.Run(algo, layer);
  // An algorithm that cannot be captured (or fails) is skipped, not fatal:
  // the candidates after it still get timed.
  const cudaError_t captured = cudaStreamEndCapture(p.stream, &graph);
  if (captured != cudaSuccess || status != CUBLAS_STATUS_SUCCESS) {
    if (captured == cudaSuccess) cudaGraphDestroy(graph);
    cudaGetLastError();
    return -1.0;
  }
  if (cudaGraphInstantiate(&exec, graph, 0) != cudaSuccess) {
    cudaGraphDestroy(graph);
    cudaGetLastError();
    return -1.0;
  }
  for (int i = 0; i < 3; ++i) Check(cudaGraphLaunch(exec, p.stream), "warm-up replay");
  cudaEvent_t start, end;
  Check(cudaEventCreate(&start), "event");
  Check(cudaEventCreate(&end), "event");
  std::vector<double> times;
  constexpr int kReplays = 5;
  for (int rep = 0; rep < 10; ++rep) {
    Check(cudaEventRecord(start, p.stream), "record");
    for (int i = 0; i < kReplays; ++i) Check(cudaGraphLaunch(exec, p.stream), "replay");
    Check(cudaEventRecord(end, p.stream), "record");
    Check(cudaEventSynchronize(end), "sync");
    float ms = 0;
    Check(cudaEventElapsedTime(&ms, start, end), "elapsed");
    times.push_back(1e3 * ms / (kReplays * kLayers));
  }
  cudaEventDestroy(start);
  cudaEventDestroy(end);
  cudaGraphExecDestroy(exec);
  cudaGraphDestroy(graph);
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

// Every 7th element of the output (all of it costs ~0.1 s a candidate at 15k rows).
std::vector<float> Output(Problem& p, size_t elements) {
  std::vector<half> host(elements);
  Check(cudaMemcpy(host.data(), p.out, elements * sizeof(half), cudaMemcpyDeviceToHost), "copy back");
  std::vector<float> values;
  for (size_t i = 0; i < elements; i += 7) values.push_back(__half2float(host[i]));
  return values;
}

std::vector<int> ParseList(const char* text) {
  std::vector<int> values;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) values.push_back(std::stoi(item));
  return values;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<int> tokens_list = {1054, 4462, 15541};
  int requested = 64, splitk_of = 8;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i];
    if (key == "--tokens") tokens_list = ParseList(argv[i + 1]);
    else if (key == "--requested") requested = std::stoi(argv[i + 1]);
    else if (key == "--splitk-of") splitk_of = std::stoi(argv[i + 1]);
    else {
      std::fprintf(stderr, "usage: lt_algo_probe [--tokens 264,1054] [--requested 64] [--splitk-of 8]\n");
      return 2;
    }
  }
  cudaDeviceProp prop{};
  Check(cudaGetDeviceProperties(&prop, 0), "device properties");
  std::printf("{\"gpu\": \"%s\", \"cublaslt_version\": %zu, \"sms\": %d}\n", prop.name, cublasLtGetVersion(),
              prop.multiProcessorCount);
  Problem p{};
  Check(cublasLtCreate(&p.lt), "cublasLtCreate");
  Check(cudaStreamCreate(&p.stream), "stream");
  p.workspace_bytes = size_t{32} << 20;
  Check(cudaMalloc(&p.workspace, p.workspace_bytes), "workspace");
  uint32_t seed = 1;
  for (const int m : tokens_list) {
    double pick_total = 0, best_total = 0;
    for (const Gemm& g : kGemms) {
      half* x = Random(static_cast<size_t>(m) * g.k, seed++, 1.0f);
      p.x = x;
      p.weights.clear();
      p.biases.clear();
      for (int l = 0; l < kLayers; ++l) {
        p.weights.push_back(Random(static_cast<size_t>(g.n) * g.k, seed++, 0.02f));
        p.biases.push_back(Random(static_cast<size_t>(g.n), seed++, 0.02f));
      }
      Check(cudaMalloc(&p.out, static_cast<size_t>(m) * g.n * sizeof(half)), "out");
      Check(cudaDeviceSynchronize(), "fill");
      // Column-major: out^T [n x m] = (w [n x k] as k x n, transposed) x (x [m x k] as k x m).
      Check(cublasLtMatmulDescCreate(&p.desc, CUBLAS_COMPUTE_32F, CUDA_R_32F), "desc");
      const cublasOperation_t ta = CUBLAS_OP_T, tb = CUBLAS_OP_N;
      Check(cublasLtMatmulDescSetAttribute(p.desc, CUBLASLT_MATMUL_DESC_TRANSA, &ta, sizeof(ta)), "transa");
      Check(cublasLtMatmulDescSetAttribute(p.desc, CUBLASLT_MATMUL_DESC_TRANSB, &tb, sizeof(tb)), "transb");
      const cublasLtEpilogue_t epilogue = g.gelu ? CUBLASLT_EPILOGUE_GELU_BIAS : CUBLASLT_EPILOGUE_BIAS;
      Check(cublasLtMatmulDescSetAttribute(p.desc, CUBLASLT_MATMUL_DESC_EPILOGUE, &epilogue, sizeof(epilogue)),
            "epilogue");
      const cudaDataType_t bias_type = CUDA_R_16F;
      Check(cublasLtMatmulDescSetAttribute(p.desc, CUBLASLT_MATMUL_DESC_BIAS_DATA_TYPE, &bias_type,
                                           sizeof(bias_type)),
            "bias type");
      const void* bias0 = p.biases[0];
      Check(cublasLtMatmulDescSetAttribute(p.desc, CUBLASLT_MATMUL_DESC_BIAS_POINTER, &bias0, sizeof(bias0)),
            "bias");
      Check(cublasLtMatrixLayoutCreate(&p.a, CUDA_R_16F, g.k, g.n, g.k), "layout a");
      Check(cublasLtMatrixLayoutCreate(&p.b, CUDA_R_16F, g.k, m, g.k), "layout b");
      Check(cublasLtMatrixLayoutCreate(&p.c, CUDA_R_16F, g.n, m, g.n), "layout c");
      // The heuristic's lists with PyTorch's default Lt workspace (1 MiB) and a large one.
      std::vector<Candidate> candidates;
      for (const size_t ws : {size_t{1} << 20, size_t{32} << 20}) {
        cublasLtMatmulPreference_t pref;
        Check(cublasLtMatmulPreferenceCreate(&pref), "preference");
        Check(cublasLtMatmulPreferenceSetAttribute(pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &ws,
                                                   sizeof(ws)),
              "workspace pref");
        std::vector<cublasLtMatmulHeuristicResult_t> results(static_cast<size_t>(requested));
        int returned = 0;
        Check(cublasLtMatmulAlgoGetHeuristic(p.lt, p.desc, p.a, p.b, p.c, p.c, pref, requested, results.data(),
                                             &returned),
              "heuristic");
        for (int i = 0; i < returned; ++i) {
          const auto& r = results[static_cast<size_t>(i)];
          if (r.state != CUBLAS_STATUS_SUCCESS) continue;
          const bool seen = std::any_of(candidates.begin(), candidates.end(),
                                        [&](const Candidate& c) { return SameAlgo(c.algo, r.algo); });
          if (!seen) {
            candidates.push_back({r.algo, (ws == (size_t{1} << 20) ? "heuristic_1MiB#" : "heuristic_32MiB#") +
                                              std::to_string(i),
                                  r.workspaceSize, r.wavesCount});
          }
        }
        cublasLtMatmulPreferenceDestroy(pref);
      }
      if (candidates.empty()) {
        std::printf("{\"tokens\": %d, \"gemm\": \"%s\", \"error\": \"no algorithm\"}\n", m, g.name);
        continue;
      }
      // Split-K variants of the first few: set the count, let cuBLASLt say whether it can.
      const size_t heuristic_count = candidates.size();
      for (size_t i = 0; i < std::min<size_t>(heuristic_count, static_cast<size_t>(splitk_of)); ++i) {
        for (const uint32_t splits : {2u, 3u, 4u, 6u}) {
          cublasLtMatmulAlgo_t algo = candidates[i].algo;
          size_t size = 0;
          if (cublasLtMatmulAlgoConfigGetAttribute(&algo, CUBLASLT_ALGO_CONFIG_SPLITK_NUM, nullptr, 0, &size) !=
                  CUBLAS_STATUS_SUCCESS ||
              size > 8) {
            continue;
          }
          uint64_t value = splits;
          if (cublasLtMatmulAlgoConfigSetAttribute(&algo, CUBLASLT_ALGO_CONFIG_SPLITK_NUM, &value, size) !=
              CUBLAS_STATUS_SUCCESS) {
            continue;
          }
          cublasLtMatmulHeuristicResult_t checked{};
          if (cublasLtMatmulAlgoCheck(p.lt, p.desc, p.a, p.b, p.c, p.c, &algo, &checked) != CUBLAS_STATUS_SUCCESS ||
              checked.workspaceSize > p.workspace_bytes) {
            continue;
          }
          candidates.push_back({algo, candidates[i].source + "+splitk" + std::to_string(splits),
                                checked.workspaceSize, checked.wavesCount});
        }
      }
      const size_t elements = static_cast<size_t>(m) * g.n;
      Check(p.Run(candidates[0].algo, 0), "reference run");
      Check(cudaStreamSynchronize(p.stream), "reference");
      const std::vector<float> reference = Output(p, elements);
      double pick_us = -1, best_us = -1;
      std::string best_source;
      for (const Candidate& c : candidates) {
        double diff = 0;
        const cublasStatus_t ran = p.Run(c.algo, 0);
        if (ran == CUBLAS_STATUS_SUCCESS && cudaStreamSynchronize(p.stream) == cudaSuccess) {
          const std::vector<float> got = Output(p, elements);
          for (size_t i = 0; i < got.size(); ++i) {
            diff = std::max(diff, static_cast<double>(std::fabs(got[i] - reference[i])));
          }
        }
        const double us = ran == CUBLAS_STATUS_SUCCESS ? TimeAlgo(p, c.algo) : -1.0;
        const bool ok = us > 0 && diff < 0.02;
        std::printf(
            "{\"tokens\": %d, \"gemm\": \"%s\", \"source\": \"%s\", %s, \"workspace\": %zu, \"waves\": %.2f, "
            "\"us\": %.2f, \"max_abs_diff\": %.5f, \"ok\": %s}\n",
            m, g.name, c.source.c_str(), Describe(c.algo).c_str(), c.workspace, c.waves, us, diff,
            ok ? "true" : "false");
        std::fflush(stdout);
        if (&c == &candidates[0]) pick_us = us;
        if (ok && (best_us < 0 || us < best_us)) {
          best_us = us;
          best_source = c.source;
        }
      }
      std::printf("{\"tokens\": %d, \"gemm\": \"%s\", \"candidates\": %zu, \"first_ranked_us\": %.2f, "
                  "\"best_us\": %.2f, \"best\": \"%s\", \"gain\": %.3f}\n",
                  m, g.name, candidates.size(), pick_us, best_us, best_source.c_str(),
                  pick_us > 0 ? 1.0 - best_us / pick_us : 0.0);
      pick_total += pick_us * kLayers;
      best_total += best_us * kLayers;
      cublasLtMatrixLayoutDestroy(p.a);
      cublasLtMatrixLayoutDestroy(p.b);
      cublasLtMatrixLayoutDestroy(p.c);
      cublasLtMatmulDescDestroy(p.desc);
      cudaFree(p.out);
      cudaFree(x);
      for (half* w : p.weights) cudaFree(w);
      for (half* b : p.biases) cudaFree(b);
    }
    std::printf("{\"tokens\": %d, \"encoder_gemm_us_first_ranked\": %.1f, \"encoder_gemm_us_best\": %.1f}\n", m,
                pick_total, best_total);
  }
  cudaFree(p.workspace);
  cudaStreamDestroy(p.stream);
  cublasLtDestroy(p.lt);
  return 0;
}
