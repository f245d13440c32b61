// Issue 20, the time around the engine: what the embedding pipeline's GPU
// work after the engine costs as the pipeline queues it today, and what it
// would cost captured into a CUDA graph (the one lever for that time not yet
// measured). Host-timed, as fasterbert_engine_bench times the pipeline: from
// before the first launch to the return of cudaStreamSynchronize.
//
// A spin kernel stands in for the engine call (it holds the stream for
// --engine-us, so every launch after it is queued behind it, as in the
// pipeline). Each repetition runs the engine alone and one variant, in turn
// (their difference per repetition is the variant's extra cost, so drifts of
// the GPU's or the host's speed cancel); medians over the repetitions:
//   queued:      the mask copied into pinned memory and up to the GPU, mean
//                pooling, L2 with the finiteness flags, the rows copied back
//                (pipeline/device_outputs.cc today)
//   queued-dm:   the same without the mask upload (a mask the engine's own
//                upload left on the GPU)
//   graph-post:  pooling, L2 and the copy back as one graph launched after
//                the engine (mask on the GPU)
//   graph-all:   the engine's kernel and the post-processing in one graph,
//                against a graph of the engine's kernel alone (as if captured
//                into the engine's own graph)
// Every variant's pooled rows are checked against the first variant's.
//
// usage: post_chain_probe [--batches 1,16,64] [--seq 20] [--hidden 768]
//                         [--engine-us 450] [--reps 2000]
// Build on the GPU machine: nvcc -O2 -std=c++17 -arch=sm_90 -I backend-cpp
//   tools/device/gpu_e2e/post_chain_probe.cu backend-cpp/ops/cuda/pooling_cuda.cu -o post_chain_probe
#include <cuda_runtime_api.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "ops/cuda/pooling_cuda.h"

namespace {

using Clock = std::chrono::steady_clock;

void Check(cudaError_t status, const char* what) {
  if (status != cudaSuccess) {
    throw std::runtime_error(std::string(what) + ": " + cudaGetErrorString(status));
  }
}

__global__ void Spin(long long cycles) {
  const long long start = clock64();
  while (clock64() - start < cycles) {
  }
}

std::vector<int64_t> ParseList(const std::string& text) {
  std::vector<int64_t> values;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) values.push_back(std::stoll(item));
  return values;
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

struct Buffers {
  int64_t batch = 0, seq = 0, hidden = 0;
  float* hidden_states = nullptr;    // device [batch, seq, hidden]
  int64_t* mask = nullptr;           // device [batch, seq]
  int64_t* staged_mask = nullptr;    // pinned
  std::vector<int64_t> host_mask;    // what the pipeline packs
  float* pooled = nullptr;           // device [batch, hidden] + batch flag bytes
  float* result = nullptr;           // pinned, the same
  size_t pooled_bytes() const { return static_cast<size_t>(batch * hidden) * sizeof(float); }
  size_t result_bytes() const { return pooled_bytes() + static_cast<size_t>(batch); }
  uint8_t* flags() const { return reinterpret_cast<uint8_t*>(pooled) + pooled_bytes(); }
};

void EnqueuePost(const Buffers& b, bool upload_mask, cudaStream_t stream) {
  const size_t mask_bytes = static_cast<size_t>(b.batch * b.seq) * sizeof(int64_t);
  if (upload_mask) {
    std::memcpy(b.staged_mask, b.host_mask.data(), mask_bytes);
    Check(cudaMemcpyAsync(b.mask, b.staged_mask, mask_bytes, cudaMemcpyHostToDevice, stream), "mask upload");
  }
  Check(fasterbert::ops::cuda::MeanPoolDevice(b.hidden_states, b.mask, b.batch, b.seq, b.hidden, b.pooled,
                                              stream),
        "mean pooling");
  Check(fasterbert::ops::cuda::L2NormalizeRowsDevice(b.pooled, b.batch, b.hidden, stream, b.flags()), "L2");
  Check(cudaMemcpyAsync(b.result, b.pooled, b.result_bytes(), cudaMemcpyDeviceToHost, stream), "copy back");
}

cudaGraphExec_t Capture(cudaStream_t stream, const std::function<void()>& enqueue) {
  cudaGraph_t graph;
  Check(cudaStreamBeginCapture(stream, cudaStreamCaptureModeThreadLocal), "begin capture");
  enqueue();
  Check(cudaStreamEndCapture(stream, &graph), "end capture");
  cudaGraphExec_t exec;
  Check(cudaGraphInstantiate(&exec, graph, 0), "instantiate");
  Check(cudaGraphDestroy(graph), "graph destroy");
  return exec;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    std::vector<int64_t> batches = {1, 16, 64};
    int64_t seq = 20, hidden = 768, reps = 2000;
    double engine_us = 450;
    for (int i = 1; i + 1 < argc; i += 2) {
      const std::string flag = argv[i], value = argv[i + 1];
      if (flag == "--batches") batches = ParseList(value);
      else if (flag == "--seq") seq = std::stoll(value);
      else if (flag == "--hidden") hidden = std::stoll(value);
      else if (flag == "--engine-us") engine_us = std::stod(value);
      else if (flag == "--reps") reps = std::stoll(value);
      else throw std::runtime_error("unknown flag " + flag);
    }
    int device = 0, clock_khz = 0;
    Check(cudaGetDevice(&device), "device");
    Check(cudaDeviceGetAttribute(&clock_khz, cudaDevAttrClockRate, device), "clock rate");
    const long long cycles = static_cast<long long>(engine_us * clock_khz / 1000.0);
    cudaStream_t stream;
    Check(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking), "stream");

    for (int64_t batch : batches) {
      Buffers b;
      b.batch = batch;
      b.seq = seq;
      b.hidden = hidden;
      const size_t elements = static_cast<size_t>(batch * seq * hidden);
      Check(cudaMalloc(&b.hidden_states, elements * sizeof(float)), "alloc hidden");
      Check(cudaMalloc(&b.mask, static_cast<size_t>(batch * seq) * sizeof(int64_t)), "alloc mask");
      Check(cudaMallocHost(&b.staged_mask, static_cast<size_t>(batch * seq) * sizeof(int64_t)), "pinned mask");
      Check(cudaMalloc(&b.pooled, b.result_bytes()), "alloc pooled");
      Check(cudaMallocHost(&b.result, b.result_bytes()), "pinned result");
      std::vector<float> values(elements);
      for (size_t i = 0; i < elements; ++i) values[i] = std::sin(0.001f * static_cast<float>(i % 9973));
      Check(cudaMemcpy(b.hidden_states, values.data(), elements * sizeof(float), cudaMemcpyHostToDevice), "fill");
      b.host_mask.assign(static_cast<size_t>(batch * seq), 0);
      for (int64_t r = 0; r < batch; ++r) {
        const int64_t length = std::max<int64_t>(1, seq - (r * 7) % std::max<int64_t>(seq / 2, 1));
        for (int64_t t = 0; t < length; ++t) b.host_mask[static_cast<size_t>(r * seq + t)] = 1;
      }
      Check(cudaMemcpy(b.mask, b.host_mask.data(), b.host_mask.size() * sizeof(int64_t), cudaMemcpyHostToDevice),
            "mask");

      const auto engine = [&] { Spin<<<1, 1, 0, stream>>>(cycles); Check(cudaGetLastError(), "spin"); };
      cudaGraphExec_t post_graph = Capture(stream, [&] { EnqueuePost(b, false, stream); });
      cudaGraphExec_t engine_graph = Capture(stream, engine);
      cudaGraphExec_t all_graph = Capture(stream, [&] { engine(); EnqueuePost(b, false, stream); });

      struct Variant {
        const char* name;
        std::function<void()> alone, with_post;
      };
      const std::vector<Variant> variants = {
          {"queued", engine, [&] { engine(); EnqueuePost(b, true, stream); }},
          {"queued-dm", engine, [&] { engine(); EnqueuePost(b, false, stream); }},
          {"graph-post", engine, [&] { engine(); Check(cudaGraphLaunch(post_graph, stream), "post graph"); }},
          {"graph-all", [&] { Check(cudaGraphLaunch(engine_graph, stream), "engine graph"); },
           [&] { Check(cudaGraphLaunch(all_graph, stream), "all graph"); }},
      };
      std::vector<float> first;
      for (const Variant& v : variants) {
        std::vector<double> alone_us, with_us, extra_us;
        for (int64_t rep = 0; rep < reps + 20; ++rep) {
          const auto t0 = Clock::now();
          v.alone();
          Check(cudaStreamSynchronize(stream), "sync");
          const auto t1 = Clock::now();
          std::memset(b.result, 0xff, b.result_bytes());
          v.with_post();
          Check(cudaStreamSynchronize(stream), "sync");
          const auto t2 = Clock::now();
          if (rep < 20) continue;
          const double a = std::chrono::duration<double, std::micro>(t1 - t0).count();
          const double w = std::chrono::duration<double, std::micro>(t2 - t1).count();
          alone_us.push_back(a);
          with_us.push_back(w);
          extra_us.push_back(w - a);
        }
        std::vector<float> rows(b.result, b.result + batch * hidden);
        const uint8_t* flags = reinterpret_cast<const uint8_t*>(b.result) + b.pooled_bytes();
        const bool flagged = std::all_of(flags, flags + batch, [](uint8_t f) { return f == 1; });
        float diff = 0;
        if (first.empty()) first = rows;
        for (size_t i = 0; i < rows.size(); ++i) diff = std::max(diff, std::fabs(rows[i] - first[i]));
        std::printf("{\"batch\": %lld, \"seq\": %lld, \"variant\": \"%s\", \"engine_alone_us\": %.1f, "
                    "\"with_post_us\": %.1f, \"extra_us\": %.1f, \"flags_ok\": %s, \"max_diff\": %.3g}\n",
                    static_cast<long long>(batch), static_cast<long long>(seq), v.name, Median(alone_us),
                    Median(with_us), Median(extra_us), flagged ? "true" : "false", diff);
        std::fflush(stdout);
        if (!flagged || diff > 1e-6f) throw std::runtime_error(std::string(v.name) + ": rows differ");
      }
      cudaGraphExecDestroy(post_graph);
      cudaGraphExecDestroy(engine_graph);
      cudaGraphExecDestroy(all_graph);
      cudaFree(b.hidden_states);
      cudaFree(b.mask);
      cudaFreeHost(b.staged_mask);
      cudaFree(b.pooled);
      cudaFreeHost(b.result);
    }
    cudaStreamDestroy(stream);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "post_chain_probe: %s\n", e.what());
    return 1;
  }
}
