// CUDA kernels behind ops/cuda/pooling_cuda.h.
//
// Pooling layout: one block per (batch row, chunk of 32 * VEC hidden columns).
// Lane l of every warp owns columns [chunk + l*VEC, chunk + l*VEC + VEC), so a
// warp reads 32 * VEC contiguous elements of one token row per step
// (coalesced; VEC = 4 gives 16-byte float loads). The block's warps split the
// sequence positions between them (warp w takes s = w, w + W, ...), then
// combine their partial sums (or maxima) through shared memory. The number of
// warps grows with the sequence length so that a long sequence of a small
// batch still spreads over many warps.
//
// Row-wise ops (L2 normalise, softmax): one block per row, a block-wide
// reduction, then a second pass over the row that only the same thread
// touches, so in-place operation is safe.
#include "ops/cuda/pooling_cuda.h"

#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <cstdint>
#include <cstring>
#include <type_traits>

namespace fasterbert::ops::cuda {
namespace {

constexpr int kWarpSize = 32;
constexpr int kMaxWarps = 32;  // 1024 threads per block.

enum class PoolMode { kMean, kMax };

// Loads VEC consecutive elements starting at p (aligned to VEC elements) as
// float.
template <typename T, int VEC>
struct Loader;

template <>
struct Loader<float, 4> {
  __device__ static void Load(const float* p, float (&v)[4]) {
    const float4 q = *reinterpret_cast<const float4*>(p);
    v[0] = q.x;
    v[1] = q.y;
    v[2] = q.z;
    v[3] = q.w;
  }
};

template <>
struct Loader<float, 1> {
  __device__ static void Load(const float* p, float (&v)[1]) { v[0] = *p; }
};

template <>
struct Loader<__half, 4> {
  __device__ static void Load(const __half* p, float (&v)[4]) {
    const uint2 q = *reinterpret_cast<const uint2*>(p);
    __half2 h0;
    __half2 h1;
    static_assert(sizeof(__half2) == sizeof(unsigned int), "half2 is 4 bytes");
    memcpy(&h0, &q.x, sizeof(h0));
    memcpy(&h1, &q.y, sizeof(h1));
    const float2 f0 = __half22float2(h0);
    const float2 f1 = __half22float2(h1);
    v[0] = f0.x;
    v[1] = f0.y;
    v[2] = f1.x;
    v[3] = f1.y;
  }
};

template <>
struct Loader<__half, 1> {
  __device__ static void Load(const __half* p, float (&v)[1]) { v[0] = __half2float(*p); }
};

// Grid: one block per (batch row, column chunk), flattened into x.
// Block: (32, warps). Dynamic shared memory: warps * 32 * VEC accumulators
// (double for the mean, float for the max) plus warps ints.
template <typename T, int VEC, PoolMode MODE>
__global__ void __launch_bounds__(kWarpSize * kMaxWarps)
    PoolKernel(const T* __restrict__ hidden, const int64_t* __restrict__ mask, int64_t seq,
               int64_t hidden_size, int64_t chunks, float* __restrict__ out) {
  using Acc = typename std::conditional<MODE == PoolMode::kMean, double, float>::type;
  constexpr int kCols = kWarpSize * VEC;
  extern __shared__ __align__(16) unsigned char smem_raw[];
  const int warps = static_cast<int>(blockDim.y);
  Acc* part = reinterpret_cast<Acc*>(smem_raw);        // [warps][kCols]
  int* counts = reinterpret_cast<int*>(part + warps * kCols);  // [warps]

  const int64_t b = static_cast<int64_t>(blockIdx.x) / chunks;
  const int64_t chunk = static_cast<int64_t>(blockIdx.x) % chunks;
  const int lane = static_cast<int>(threadIdx.x);
  const int warp = static_cast<int>(threadIdx.y);
  const int64_t col = chunk * kCols + static_cast<int64_t>(lane) * VEC;
  const bool active = col < hidden_size;  // VEC divides hidden_size.

  Acc acc[VEC];
#pragma unroll
  for (int k = 0; k < VEC; ++k) {
    acc[k] = MODE == PoolMode::kMean ? Acc(0) : Acc(-3.402823466e38f);
  }
  int count = 0;
  const int64_t* mask_row = mask + b * seq;
  const T* base = hidden + b * seq * hidden_size + col;
  // kUnroll positions per warp per step: their loads are all issued before
  // the first is used, so several are in flight per thread.
  constexpr int kUnroll = 4;
  const int64_t step = static_cast<int64_t>(warps) * kUnroll;
  for (int64_t s0 = warp; s0 < seq; s0 += step) {
    float v[kUnroll][VEC];
    bool take[kUnroll];
#pragma unroll
    for (int u = 0; u < kUnroll; ++u) {
      const int64_t s = s0 + static_cast<int64_t>(u) * warps;
      take[u] = s < seq && mask_row[s] != 0;
#pragma unroll
      for (int k = 0; k < VEC; ++k) v[u][k] = 0.0f;
      if (take[u] && active) Loader<T, VEC>::Load(base + s * hidden_size, v[u]);
    }
#pragma unroll
    for (int u = 0; u < kUnroll; ++u) {
      if (!take[u]) continue;
      ++count;
#pragma unroll
      for (int k = 0; k < VEC; ++k) {
        if (MODE == PoolMode::kMean) {
          acc[k] += static_cast<Acc>(v[u][k]);
        } else {
          // As std::max(acc, v) in the CPU op: v wins only when acc < v.
          acc[k] = acc[k] < v[u][k] ? v[u][k] : acc[k];
        }
      }
    }
  }
#pragma unroll
  for (int k = 0; k < VEC; ++k) part[warp * kCols + lane * VEC + k] = acc[k];
  if (lane == 0) counts[warp] = count;
  __syncthreads();

  // Combine the warps' partials: one thread per column of the chunk.
  const int tid = warp * kWarpSize + lane;
  int total = 0;
  for (int w = 0; w < warps; ++w) total += counts[w];
  for (int c = tid; c < kCols; c += warps * kWarpSize) {
    const int64_t out_col = chunk * kCols + c;
    if (out_col >= hidden_size) continue;
    float result;
    if (MODE == PoolMode::kMean) {
      double sum = 0.0;
      for (int w = 0; w < warps; ++w) sum += static_cast<double>(part[w * kCols + c]);
      const double denom = total > 0 ? static_cast<double>(total) : 1e-9;
      result = static_cast<float>(sum / denom);
    } else {
      float m = static_cast<float>(part[c]);
      for (int w = 1; w < warps; ++w) {
        const float v = static_cast<float>(part[w * kCols + c]);
        m = m < v ? v : m;
      }
      result = total > 0 ? m : 0.0f;
    }
    out[b * hidden_size + out_col] = result;
  }
}

template <int VEC>
__global__ void ClsKernel(const float* __restrict__ hidden, int64_t seq, int64_t hidden_size,
                          int64_t chunks, float* __restrict__ out) {
  constexpr int kCols = kWarpSize * VEC;
  const int64_t b = static_cast<int64_t>(blockIdx.x) / chunks;
  const int64_t chunk = static_cast<int64_t>(blockIdx.x) % chunks;
  const int64_t col = chunk * kCols + static_cast<int64_t>(threadIdx.x) * VEC;
  if (col >= hidden_size) return;
  const float* src = hidden + b * seq * hidden_size + col;
  float* dst = out + b * hidden_size + col;
  if (VEC == 4) {
    *reinterpret_cast<float4*>(dst) = *reinterpret_cast<const float4*>(src);
  } else {
#pragma unroll
    for (int k = 0; k < VEC; ++k) dst[k] = src[k];
  }
}

// Block-wide reductions for blocks of a whole number of warps (<= 1024
// threads). `scratch` holds at least 32 values; the result reaches every
// thread. Ends with a barrier, so scratch may be reused right after.
__device__ double BlockSum(double v, double* scratch) {
  for (int off = kWarpSize / 2; off > 0; off /= 2) v += __shfl_xor_sync(0xffffffffu, v, off);
  const int lane = static_cast<int>(threadIdx.x) % kWarpSize;
  const int warp = static_cast<int>(threadIdx.x) / kWarpSize;
  const int warps = static_cast<int>(blockDim.x) / kWarpSize;
  if (lane == 0) scratch[warp] = v;
  __syncthreads();
  double total = 0.0;
  for (int w = 0; w < warps; ++w) total += scratch[w];
  __syncthreads();
  return total;
}

__device__ float BlockMax(float v, float* scratch) {
  for (int off = kWarpSize / 2; off > 0; off /= 2) {
    const float o = __shfl_xor_sync(0xffffffffu, v, off);
    v = v < o ? o : v;
  }
  const int lane = static_cast<int>(threadIdx.x) % kWarpSize;
  const int warp = static_cast<int>(threadIdx.x) / kWarpSize;
  const int warps = static_cast<int>(blockDim.x) / kWarpSize;
  if (lane == 0) scratch[warp] = v;
  __syncthreads();
  float m = scratch[0];
  for (int w = 1; w < warps; ++w) m = m < scratch[w] ? scratch[w] : m;
  __syncthreads();
  return m;
}

constexpr int kRowThreads = 256;

// NaN or infinite: the exponent bits all ones (as AllFinite on the host).
__device__ int NotFinite(float v) { return (__float_as_uint(v) & 0x7f800000u) == 0x7f800000u; }

// `finite` is the same for the whole grid, so every thread of a block takes
// the same branch around __syncthreads_or.
__global__ void __launch_bounds__(kRowThreads)
    L2NormalizeKernel(float* __restrict__ rows, int64_t dim, uint8_t* __restrict__ finite) {
  __shared__ double scratch[kWarpSize];
  float* row = rows + static_cast<int64_t>(blockIdx.x) * dim;
  double sq = 0.0;
  for (int64_t i = threadIdx.x; i < dim; i += blockDim.x) {
    const double v = row[i];
    sq += v * v;
  }
  sq = BlockSum(sq, scratch);
  // Not fmax: it drops a NaN, so a row holding one came out scaled by 1e12
  // around the NaN; a NaN norm makes the whole row NaN, as the CPU op
  // (std::max) and torch's normalize (clamp_min) do.
  const double norm = sqrt(sq);
  const double scale = 1.0 / (norm < 1e-12 ? 1e-12 : norm);
  int bad = 0;
  for (int64_t i = threadIdx.x; i < dim; i += blockDim.x) {
    const float y = static_cast<float>(static_cast<double>(row[i]) * scale);
    row[i] = y;
    bad |= NotFinite(y);
  }
  if (finite != nullptr) {
    bad = __syncthreads_or(bad);
    if (threadIdx.x == 0) finite[blockIdx.x] = bad ? 0 : 1;
  }
}

__global__ void __launch_bounds__(kRowThreads)
    FiniteRowsKernel(const float* __restrict__ rows, int64_t dim, uint8_t* __restrict__ finite) {
  const float* row = rows + static_cast<int64_t>(blockIdx.x) * dim;
  int bad = 0;
  for (int64_t i = threadIdx.x; i < dim; i += blockDim.x) bad |= NotFinite(row[i]);
  bad = __syncthreads_or(bad);
  if (threadIdx.x == 0) finite[blockIdx.x] = bad ? 0 : 1;
}

__global__ void __launch_bounds__(kRowThreads)
    SoftmaxKernel(const float* logits, int64_t classes, float* out) {
  __shared__ double scratch_d[kWarpSize];
  __shared__ float scratch_f[kWarpSize];
  const float* x = logits + static_cast<int64_t>(blockIdx.x) * classes;
  float* y = out + static_cast<int64_t>(blockIdx.x) * classes;
  // -FLT_MAX rather than -inf as the neutral element: a row of real logits
  // always has a larger one, and classes >= 1 here.
  float m = -3.402823466e38f;
  for (int64_t i = threadIdx.x; i < classes; i += blockDim.x) m = m < x[i] ? x[i] : m;
  const double max = BlockMax(m, scratch_f);
  double sum = 0.0;
  for (int64_t i = threadIdx.x; i < classes; i += blockDim.x) {
    sum += exp(static_cast<double>(x[i]) - max);
  }
  sum = BlockSum(sum, scratch_d);
  // Each element is read and then written by the same thread, after every
  // thread's reads of the first two passes (BlockSum's barrier): x may be y.
  for (int64_t i = threadIdx.x; i < classes; i += blockDim.x) {
    y[i] = static_cast<float>(exp(static_cast<double>(x[i]) - max) / sum);
  }
}

bool Aligned(const void* p, uintptr_t bytes) {
  return reinterpret_cast<uintptr_t>(p) % bytes == 0;
}

// Warps per pooling block: about 8 sequence positions per warp, at most 32
// warps.
int PoolWarps(int64_t seq) {
  const int64_t w = (seq + 7) / 8;
  return static_cast<int>(w < 1 ? 1 : (w > kMaxWarps ? kMaxWarps : w));
}

template <typename T, int VEC, PoolMode MODE>
cudaError_t LaunchPool(const T* hidden, const int64_t* mask, int64_t batch, int64_t seq,
                       int64_t hidden_size, float* out, cudaStream_t stream) {
  using Acc = typename std::conditional<MODE == PoolMode::kMean, double, float>::type;
  constexpr int64_t kCols = kWarpSize * VEC;
  const int64_t chunks = (hidden_size + kCols - 1) / kCols;
  const int warps = PoolWarps(seq);
  const size_t smem = static_cast<size_t>(warps) * kCols * sizeof(Acc) +
                      static_cast<size_t>(warps) * sizeof(int);
  const dim3 block(kWarpSize, static_cast<unsigned>(warps));
  PoolKernel<T, VEC, MODE><<<static_cast<unsigned>(batch * chunks), block, smem, stream>>>(
      hidden, mask, seq, hidden_size, chunks, out);
  return cudaGetLastError();
}

template <typename T, PoolMode MODE>
cudaError_t Pool(const T* hidden, const int64_t* mask, int64_t batch, int64_t seq,
                 int64_t hidden_size, float* out, cudaStream_t stream) {
  if (batch <= 0 || hidden_size <= 0) return cudaSuccess;
  if (seq <= 0) {
    // No positions at all: every row is "all padding", which pools to 0.
    return cudaMemsetAsync(out, 0, sizeof(float) * static_cast<size_t>(batch * hidden_size),
                           stream);
  }
  if (hidden_size % 4 == 0 && Aligned(hidden, 4 * sizeof(T))) {
    return LaunchPool<T, 4, MODE>(hidden, mask, batch, seq, hidden_size, out, stream);
  }
  return LaunchPool<T, 1, MODE>(hidden, mask, batch, seq, hidden_size, out, stream);
}

}  // namespace

cudaError_t MeanPoolDevice(const float* hidden, const int64_t* mask, int64_t batch,
                           int64_t seq, int64_t hidden_size, float* out,
                           cudaStream_t stream) {
  return Pool<float, PoolMode::kMean>(hidden, mask, batch, seq, hidden_size, out, stream);
}

cudaError_t MeanPoolDeviceHalf(const __half* hidden, const int64_t* mask, int64_t batch,
                               int64_t seq, int64_t hidden_size, float* out,
                               cudaStream_t stream) {
  return Pool<__half, PoolMode::kMean>(hidden, mask, batch, seq, hidden_size, out, stream);
}

cudaError_t MaxPoolDevice(const float* hidden, const int64_t* mask, int64_t batch,
                          int64_t seq, int64_t hidden_size, float* out,
                          cudaStream_t stream) {
  return Pool<float, PoolMode::kMax>(hidden, mask, batch, seq, hidden_size, out, stream);
}

cudaError_t ClsPoolDevice(const float* hidden, int64_t batch, int64_t seq,
                          int64_t hidden_size, float* out, cudaStream_t stream) {
  if (batch <= 0 || hidden_size <= 0) return cudaSuccess;
  if (seq <= 0) {
    return cudaMemsetAsync(out, 0, sizeof(float) * static_cast<size_t>(batch * hidden_size),
                           stream);
  }
  if (hidden_size % 4 == 0 && Aligned(hidden, 16) && Aligned(out, 16)) {
    const int64_t chunks = (hidden_size + 4 * kWarpSize - 1) / (4 * kWarpSize);
    ClsKernel<4><<<static_cast<unsigned>(batch * chunks), kWarpSize, 0, stream>>>(
        hidden, seq, hidden_size, chunks, out);
  } else {
    const int64_t chunks = (hidden_size + kWarpSize - 1) / kWarpSize;
    ClsKernel<1><<<static_cast<unsigned>(batch * chunks), kWarpSize, 0, stream>>>(
        hidden, seq, hidden_size, chunks, out);
  }
  return cudaGetLastError();
}

cudaError_t L2NormalizeRowsDevice(float* rows, int64_t count, int64_t dim,
                                  cudaStream_t stream, uint8_t* finite) {
  if (count <= 0) return cudaSuccess;
  if (dim <= 0) {  // nothing to normalise; an empty row holds no bad value
    return finite != nullptr ? cudaMemsetAsync(finite, 1, static_cast<size_t>(count), stream)
                             : cudaSuccess;
  }
  L2NormalizeKernel<<<static_cast<unsigned>(count), kRowThreads, 0, stream>>>(rows, dim, finite);
  return cudaGetLastError();
}

cudaError_t FiniteRowsDevice(const float* rows, int64_t count, int64_t dim, uint8_t* finite,
                             cudaStream_t stream) {
  if (count <= 0) return cudaSuccess;
  if (dim <= 0) return cudaMemsetAsync(finite, 1, static_cast<size_t>(count), stream);
  FiniteRowsKernel<<<static_cast<unsigned>(count), kRowThreads, 0, stream>>>(rows, dim, finite);
  return cudaGetLastError();
}

cudaError_t SoftmaxRowsDevice(const float* logits, int64_t count, int64_t classes,
                              float* out, cudaStream_t stream) {
  if (count <= 0 || classes <= 0) return cudaSuccess;
  SoftmaxKernel<<<static_cast<unsigned>(count), kRowThreads, 0, stream>>>(logits, classes,
                                                                         out);
  return cudaGetLastError();
}

}  // namespace fasterbert::ops::cuda
