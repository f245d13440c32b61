// Stands in for a generated backend: a C++ shared library that calls the CUDA
// ops through pooling_cuda.h and exports one C entry point.
#include <cuda_runtime_api.h>

#include <cstdint>
#include <vector>

#include "ops/cuda/pooling_cuda.h"

extern "C" __attribute__((visibility("default"))) int FakeBackendMeanPool() {
  const int64_t b = 2, s = 3, h = 4;
  std::vector<float> x(static_cast<size_t>(b * s * h));
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i);
  const std::vector<int64_t> mask = {1, 1, 0, 0, 0, 0};
  float* d_x = nullptr;
  int64_t* d_m = nullptr;
  float* d_o = nullptr;
  if (cudaMalloc(reinterpret_cast<void**>(&d_x), x.size() * sizeof(float)) != cudaSuccess) return 1;
  if (cudaMalloc(reinterpret_cast<void**>(&d_m), mask.size() * sizeof(int64_t)) != cudaSuccess) return 1;
  if (cudaMalloc(reinterpret_cast<void**>(&d_o), static_cast<size_t>(b * h) * sizeof(float)) != cudaSuccess) return 1;
  cudaMemcpy(d_x, x.data(), x.size() * sizeof(float), cudaMemcpyHostToDevice);
  cudaMemcpy(d_m, mask.data(), mask.size() * sizeof(int64_t), cudaMemcpyHostToDevice);
  cudaStream_t stream = nullptr;
  cudaStreamCreate(&stream);
  if (fasterbert::ops::cuda::MeanPoolDevice(d_x, d_m, b, s, h, d_o, stream) != cudaSuccess) return 2;
  std::vector<float> out(static_cast<size_t>(b * h));
  cudaMemcpyAsync(out.data(), d_o, out.size() * sizeof(float), cudaMemcpyDeviceToHost, stream);
  cudaStreamSynchronize(stream);
  cudaStreamDestroy(stream);
  cudaFree(d_x);
  cudaFree(d_m);
  cudaFree(d_o);
  // Row 0: mean of positions 0 and 1 -> (i + i + 4) / 2 = i + 2; row 1: all padding -> 0.
  for (int i = 0; i < 4; ++i) {
    if (out[static_cast<size_t>(i)] != static_cast<float>(i + 2)) return 3;
    if (out[static_cast<size_t>(4 + i)] != 0.0f) return 4;
  }
  return 0;
}
