// Checks the CUDA post-processing ops (ops/cuda/pooling_cuda.h) against the
// CPU ops (ops/pooling.h, ops/normalize.h, ops/activation.h) on seeded random
// inputs. No test framework: prints one line per failed check, a table of the
// largest absolute error per op, and `cuda ops: N passed, M failed`; exits 1
// on any failure.
//
//   pooling_cuda_test            correctness only
//   pooling_cuda_test --bench    also times the kernels (CUDA events, median)
//   pooling_cuda_test --quick    only the smaller pooling shapes (for
//                                compute-sanitizer, which is slow)
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "ops/activation.h"
#include "ops/cuda/pooling_cuda.h"
#include "ops/normalize.h"
#include "ops/pooling.h"

namespace cuops = fasterbert::ops::cuda;
namespace cpuops = fasterbert::ops;

// Defined in header_check.cc, which includes pooling_cuda.h from plain C++.
int HeaderCheckCallsCompile();

#define CUDA_OK(expr)                                                              \
  do {                                                                             \
    const cudaError_t err_ = (expr);                                               \
    if (err_ != cudaSuccess) {                                                     \
      std::fprintf(stderr, "%s:%d: %s -> %s\n", __FILE__, __LINE__, #expr,         \
                   cudaGetErrorString(err_));                                      \
      std::exit(2);                                                                \
    }                                                                              \
  } while (0)

namespace {

constexpr double kRelTol = 1e-5;

struct OpStats {
  double max_abs_err = 0.0;
  double max_ref = 0.0;
  int passed = 0;
  int failed = 0;
};

std::map<std::string, OpStats> g_stats;
bool g_quiet = false;  // The checker's self-test expects failures.

template <typename T>
struct DeviceBuffer {
  T* ptr = nullptr;
  size_t n = 0;
  explicit DeviceBuffer(size_t count) : n(count) {
    CUDA_OK(cudaMalloc(&ptr, sizeof(T) * std::max<size_t>(count, 1)));
  }
  ~DeviceBuffer() { cudaFree(ptr); }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  void Upload(const std::vector<T>& v) {
    CUDA_OK(cudaMemcpy(ptr, v.data(), sizeof(T) * v.size(), cudaMemcpyHostToDevice));
  }
  // Fills with 0xFF bytes (a NaN for float) so unwritten outputs show.
  void Poison() { CUDA_OK(cudaMemset(ptr, 0xFF, sizeof(T) * std::max<size_t>(n, 1))); }
  std::vector<T> Download(size_t count) const {
    std::vector<T> v(count);
    CUDA_OK(cudaMemcpy(v.data(), ptr, sizeof(T) * count, cudaMemcpyDeviceToHost));
    return v;
  }
};

// Compares and records; the tolerance is kRelTol times the value scale
// (the largest |ref|, at least 1). NaN in the output where the reference is
// finite fails.
bool Check(const std::string& op, const std::string& shape, const std::vector<float>& got,
           const std::vector<float>& ref) {
  double max_err = 0.0;
  double max_ref = 0.0;
  bool bad = got.size() != ref.size();
  for (size_t i = 0; i < ref.size() && !bad; ++i) {
    const double r = ref[i];
    const double g = got[i];
    if (std::isnan(g) != std::isnan(r)) {
      bad = true;
      if (!g_quiet) std::printf("FAIL %-14s %-22s element %zu: got %g, want %g\n", op.c_str(), shape.c_str(),
                  i, g, r);
      break;
    }
    if (std::isnan(r)) continue;
    max_err = std::max(max_err, std::fabs(g - r));
    max_ref = std::max(max_ref, std::fabs(r));
  }
  const double tol = kRelTol * std::max(1.0, max_ref);
  if (!bad && max_err > tol) {
    bad = true;
    if (!g_quiet) std::printf("FAIL %-14s %-22s max abs err %.3e > tol %.3e\n", op.c_str(), shape.c_str(),
                max_err, tol);
  }
  OpStats& s = g_stats[op];
  s.max_abs_err = std::max(s.max_abs_err, max_err);
  s.max_ref = std::max(s.max_ref, max_ref);
  if (bad) {
    ++s.failed;
  } else {
    ++s.passed;
  }
  return !bad;
}

// The checker itself must reject an error just over tolerance and a NaN.
bool CheckerRejectsBadOutput() {
  g_quiet = true;
  const std::vector<float> ref = {1.0f, -3.0f, 0.5f};
  const bool exact = Check("selftest", "exact", ref, ref);
  const bool off = Check("selftest", "off", {1.0f, -3.0f + 4e-5f, 0.5f}, ref);
  const bool nan = Check("selftest", "nan", {1.0f, std::nanf(""), 0.5f}, ref);
  g_stats.erase("selftest");
  g_quiet = false;
  return exact && !off && !nan;
}

std::string ShapeName(int64_t b, int64_t s, int64_t h) {
  return "B" + std::to_string(b) + " S" + std::to_string(s) + " H" + std::to_string(h);
}

// Masks: row 1 (when there is one) is all padding, row 0 is full, the others
// a random real length with the padding at the end, except every third row
// which has scattered zeros. With batch == 1 and `all_zero_single`, the one
// row is all padding.
std::vector<int64_t> MakeMask(std::mt19937_64& rng, int64_t b, int64_t s, bool all_zero_single) {
  std::vector<int64_t> mask(static_cast<size_t>(b * s), 0);
  std::uniform_int_distribution<int64_t> len(0, s);
  std::bernoulli_distribution coin(0.6);
  for (int64_t r = 0; r < b; ++r) {
    int64_t* row = mask.data() + r * s;
    if (b == 1 && all_zero_single) continue;
    if (r == 1) continue;
    if (r == 0) {
      std::fill(row, row + s, 1);
    } else if (r % 3 == 2) {
      for (int64_t i = 0; i < s; ++i) row[i] = coin(rng) ? 1 : 0;
    } else {
      const int64_t n = len(rng);
      std::fill(row, row + n, 1);
    }
  }
  return mask;
}

std::vector<float> RandomFloats(std::mt19937_64& rng, size_t n, float scale) {
  std::normal_distribution<float> dist(0.0f, scale);
  std::vector<float> v(n);
  for (auto& x : v) x = dist(rng);
  return v;
}

// Pooling ops on one shape. `offset` shifts the hidden states by that many
// floats inside the allocation (offset 1 breaks 16-byte alignment and
// exercises the scalar path).
void CheckPooling(std::mt19937_64& rng, int64_t b, int64_t s, int64_t h, bool all_zero_single,
                  int64_t offset = 0) {
  const size_t n = static_cast<size_t>(b * s * h);
  std::vector<float> x = RandomFloats(rng, n, 1.0f);
  // A few large values, so max pooling and the sums see a wider range.
  std::uniform_int_distribution<size_t> pick(0, n - 1);
  for (int i = 0; i < 16; ++i) x[pick(rng)] = 40.0f;
  const std::vector<int64_t> mask = MakeMask(rng, b, s, all_zero_single);
  std::string shape = ShapeName(b, s, h);
  if (offset != 0) shape += " unaligned";

  std::vector<float> x_alloc(n + static_cast<size_t>(offset), 0.0f);
  std::copy(x.begin(), x.end(), x_alloc.begin() + offset);
  DeviceBuffer<float> d_x(x_alloc.size());
  d_x.Upload(x_alloc);
  const float* d_hidden = d_x.ptr + offset;
  DeviceBuffer<int64_t> d_mask(mask.size());
  d_mask.Upload(mask);
  const size_t out_n = static_cast<size_t>(b * h);
  DeviceBuffer<float> d_out(out_n);

  const cpuops::TokenEmbeddingsView view{x.data(), b, s, h};
  std::vector<float> ref(out_n);

  cpuops::MeanPool(view, mask.data(), ref.data());
  d_out.Poison();
  CUDA_OK(cuops::MeanPoolDevice(d_hidden, d_mask.ptr, b, s, h, d_out.ptr, nullptr));
  CUDA_OK(cudaDeviceSynchronize());
  Check("mean", shape, d_out.Download(out_n), ref);

  // Mean pool followed by L2 normalisation, both on the device, against the
  // same chain on the CPU.
  std::vector<float> ref_norm = ref;
  cpuops::L2NormalizeRows(ref_norm.data(), b, h);
  CUDA_OK(cuops::L2NormalizeRowsDevice(d_out.ptr, b, h, nullptr));
  CUDA_OK(cudaDeviceSynchronize());
  Check("mean+l2", shape, d_out.Download(out_n), ref_norm);

  cpuops::MaxPool(view, mask.data(), ref.data());
  d_out.Poison();
  CUDA_OK(cuops::MaxPoolDevice(d_hidden, d_mask.ptr, b, s, h, d_out.ptr, nullptr));
  CUDA_OK(cudaDeviceSynchronize());
  Check("max", shape, d_out.Download(out_n), ref);

  cpuops::ClsPool(view, ref.data());
  d_out.Poison();
  CUDA_OK(cuops::ClsPoolDevice(d_hidden, b, s, h, d_out.ptr, nullptr));
  CUDA_OK(cudaDeviceSynchronize());
  Check("cls", shape, d_out.Download(out_n), ref);

  // FP16 input: the reference pools the same half values widened to float.
  std::vector<__half> xh(n + static_cast<size_t>(offset));
  std::vector<float> xh_as_float(n);
  for (size_t i = 0; i < n; ++i) {
    xh[i + static_cast<size_t>(offset)] = __float2half(x[i]);
    xh_as_float[i] = __half2float(xh[i + static_cast<size_t>(offset)]);
  }
  DeviceBuffer<__half> d_xh(xh.size());
  d_xh.Upload(xh);
  const cpuops::TokenEmbeddingsView view_h{xh_as_float.data(), b, s, h};
  cpuops::MeanPool(view_h, mask.data(), ref.data());
  d_out.Poison();
  CUDA_OK(cuops::MeanPoolDeviceHalf(d_xh.ptr + offset, d_mask.ptr, b, s, h, d_out.ptr, nullptr));
  CUDA_OK(cudaDeviceSynchronize());
  Check("mean_half", shape, d_out.Download(out_n), ref);
}

void CheckL2(std::mt19937_64& rng, int64_t rows, int64_t dim) {
  std::vector<float> x = RandomFloats(rng, static_cast<size_t>(rows * dim), 3.0f);
  // Row 0 all zero: must stay zero (eps 1e-12), not NaN.
  std::fill(x.begin(), x.begin() + dim, 0.0f);
  // Row 1 (if any) tiny: below eps the row is scaled by 1e12, not normalised.
  if (rows > 1) {
    for (int64_t i = 0; i < dim; ++i) x[static_cast<size_t>(dim + i)] = 1e-16f;
  }
  DeviceBuffer<float> d(x.size());
  d.Upload(x);
  std::vector<float> ref = x;
  cpuops::L2NormalizeRows(ref.data(), rows, dim);
  CUDA_OK(cuops::L2NormalizeRowsDevice(d.ptr, rows, dim, nullptr));
  CUDA_OK(cudaDeviceSynchronize());
  Check("l2", "rows" + std::to_string(rows) + " dim" + std::to_string(dim),
        d.Download(x.size()), ref);
}

// Per-row finiteness flags, alone and fused into L2, against std::isfinite
// over the same rows on the host (the raw rows, then the CPU op's normalised
// ones). Rows by r % 6: clean, a NaN somewhere, +inf last, -inf first, FLT_MAX
// (finite: its square overflows only in float, and the sums run in double),
// a negative NaN with payload bits.
void CheckFinite(std::mt19937_64& rng, int64_t rows, int64_t dim) {
  std::vector<float> x = RandomFloats(rng, static_cast<size_t>(rows * dim), 3.0f);
  for (int64_t r = 0; r < rows; ++r) {
    float* row = x.data() + r * dim;
    switch (r % 6) {
      case 1: row[(r * 7) % dim] = std::nanf(""); break;
      case 2: row[dim - 1] = INFINITY; break;
      case 3: row[0] = -INFINITY; break;
      case 4: row[(r * 3) % dim] = 3.402823466e38f; break;
      case 5: {
        const uint32_t bits = 0xffc00123u;
        std::memcpy(&row[dim / 2], &bits, sizeof bits);
        break;
      }
      default: break;
    }
  }
  auto flags_of = [&](const std::vector<float>& v) {
    std::vector<float> flags(static_cast<size_t>(rows), 1.0f);
    for (int64_t r = 0; r < rows; ++r) {
      for (int64_t i = 0; i < dim; ++i) {
        if (!std::isfinite(v[static_cast<size_t>(r * dim + i)])) flags[static_cast<size_t>(r)] = 0.0f;
      }
    }
    return flags;
  };
  auto download_flags = [&](const DeviceBuffer<uint8_t>& d) {
    std::vector<float> got;
    for (uint8_t f : d.Download(static_cast<size_t>(rows))) got.push_back(static_cast<float>(f));
    return got;
  };
  const std::string shape = "rows" + std::to_string(rows) + " dim" + std::to_string(dim);
  DeviceBuffer<float> d(x.size());
  d.Upload(x);
  DeviceBuffer<uint8_t> d_flags(static_cast<size_t>(rows));
  CUDA_OK(cudaMemset(d_flags.ptr, 7, static_cast<size_t>(rows)));  // neither 0 nor 1
  CUDA_OK(cuops::FiniteRowsDevice(d.ptr, rows, dim, d_flags.ptr, nullptr));
  CUDA_OK(cudaDeviceSynchronize());
  Check("finite", shape, download_flags(d_flags), flags_of(x));

  std::vector<float> ref = x;
  cpuops::L2NormalizeRows(ref.data(), rows, dim);
  CUDA_OK(cudaMemset(d_flags.ptr, 7, static_cast<size_t>(rows)));
  CUDA_OK(cuops::L2NormalizeRowsDevice(d.ptr, rows, dim, nullptr, d_flags.ptr));
  CUDA_OK(cudaDeviceSynchronize());
  Check("l2+finite", shape, d.Download(x.size()), ref);
  Check("l2+finite", shape + " flags", download_flags(d_flags), flags_of(ref));
}

void CheckSoftmax(std::mt19937_64& rng, int64_t rows, int64_t classes, float scale,
                  bool in_place) {
  std::vector<float> x = RandomFloats(rng, static_cast<size_t>(rows * classes), scale);
  // Row 0: large logits, overflow in exp without the max subtraction.
  for (int64_t i = 0; i < classes; ++i) x[static_cast<size_t>(i)] += 500.0f;
  std::vector<float> ref(x.size());
  for (int64_t r = 0; r < rows; ++r) {
    cpuops::Softmax(x.data() + r * classes, classes, ref.data() + r * classes);
  }
  DeviceBuffer<float> d_x(x.size());
  d_x.Upload(x);
  DeviceBuffer<float> d_y(x.size());
  d_y.Poison();
  float* dst = in_place ? d_x.ptr : d_y.ptr;
  CUDA_OK(cuops::SoftmaxRowsDevice(d_x.ptr, rows, classes, dst, nullptr));
  CUDA_OK(cudaDeviceSynchronize());
  std::vector<float> got(x.size());
  CUDA_OK(cudaMemcpy(got.data(), dst, sizeof(float) * got.size(), cudaMemcpyDeviceToHost));
  std::string shape = "rows" + std::to_string(rows) + " C" + std::to_string(classes) +
                      " scale" + std::to_string(static_cast<int>(scale));
  if (in_place) shape += " inplace";
  Check("softmax", shape, got, ref);
}

// Empty problems launch nothing and succeed; seq == 0 writes zeros.
void CheckEdgeCases() {
  DeviceBuffer<float> d_out(8);
  d_out.Poison();
  CUDA_OK(cuops::MeanPoolDevice(nullptr, nullptr, 2, 0, 4, d_out.ptr, nullptr));
  CUDA_OK(cuops::MaxPoolDevice(nullptr, nullptr, 0, 5, 4, d_out.ptr, nullptr));
  CUDA_OK(cuops::L2NormalizeRowsDevice(nullptr, 0, 4, nullptr));
  CUDA_OK(cuops::SoftmaxRowsDevice(nullptr, 3, 0, nullptr, nullptr));
  CUDA_OK(cudaDeviceSynchronize());
  Check("edge", "seq0", d_out.Download(8), std::vector<float>(8, 0.0f));
}

// ---- timings ---------------------------------------------------------------

template <typename F>
float MedianMs(F&& launch, int reps) {
  cudaEvent_t start;
  cudaEvent_t stop;
  CUDA_OK(cudaEventCreate(&start));
  CUDA_OK(cudaEventCreate(&stop));
  for (int i = 0; i < 5; ++i) launch(i);
  CUDA_OK(cudaDeviceSynchronize());
  std::vector<float> ms;
  for (int i = 0; i < reps; ++i) {
    CUDA_OK(cudaEventRecord(start));
    launch(i);
    CUDA_OK(cudaEventRecord(stop));
    CUDA_OK(cudaEventSynchronize(stop));
    float t = 0.0f;
    CUDA_OK(cudaEventElapsedTime(&t, start, stop));
    ms.push_back(t);
  }
  CUDA_OK(cudaEventDestroy(start));
  CUDA_OK(cudaEventDestroy(stop));
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

void Bench() {
  std::printf("\n%-22s %-10s %10s %10s\n", "shape (full masks)", "op", "median us", "GB/s");
  std::mt19937_64 rng(7);
  // The last three: what one long text, 16 long and 64 short texts pool.
  const int64_t shapes[][3] = {{1, 128, 768},  {32, 128, 768}, {32, 512, 768}, {64, 512, 1024},
                               {1, 238, 768},  {16, 250, 768}, {64, 20, 768}};
  for (const auto& sh : shapes) {
    const int64_t b = sh[0];
    const int64_t s = sh[1];
    const int64_t h = sh[2];
    const size_t n = static_cast<size_t>(b * s * h);
    // Enough copies of the input that the set exceeds the 50 MB L2.
    const int copies = static_cast<int>(std::max<size_t>(1, (256u << 20) / (n * 4)));
    std::vector<float> x = RandomFloats(rng, n, 1.0f);
    std::vector<__half> xh(n);
    for (size_t i = 0; i < n; ++i) xh[i] = __float2half(x[i]);
    std::vector<DeviceBuffer<float>*> dx;
    std::vector<DeviceBuffer<__half>*> dxh;
    for (int c = 0; c < copies; ++c) {
      dx.push_back(new DeviceBuffer<float>(n));
      dx.back()->Upload(x);
      dxh.push_back(new DeviceBuffer<__half>(n));
      dxh.back()->Upload(xh);
    }
    DeviceBuffer<int64_t> d_mask(static_cast<size_t>(b * s));
    d_mask.Upload(std::vector<int64_t>(static_cast<size_t>(b * s), 1));
    DeviceBuffer<float> d_out(static_cast<size_t>(b * h));
    const std::string shape = ShapeName(b, s, h);
    const double in_bytes = static_cast<double>(n) * 4;
    auto report = [&](const char* op, float ms, double bytes) {
      std::printf("%-22s %-10s %10.2f %10.0f\n", shape.c_str(), op, ms * 1e3,
                  bytes / (ms * 1e-3) / 1e9);
    };
    report("mean", MedianMs([&](int i) {
             CUDA_OK(cuops::MeanPoolDevice(dx[i % copies]->ptr, d_mask.ptr, b, s, h,
                                           d_out.ptr, nullptr));
           }, 50), in_bytes);
    report("max", MedianMs([&](int i) {
             CUDA_OK(cuops::MaxPoolDevice(dx[i % copies]->ptr, d_mask.ptr, b, s, h,
                                          d_out.ptr, nullptr));
           }, 50), in_bytes);
    report("mean_half", MedianMs([&](int i) {
             CUDA_OK(cuops::MeanPoolDeviceHalf(dxh[i % copies]->ptr, d_mask.ptr, b, s, h,
                                               d_out.ptr, nullptr));
           }, 50), in_bytes / 2);
    report("cls", MedianMs([&](int i) {
             CUDA_OK(cuops::ClsPoolDevice(dx[i % copies]->ptr, b, s, h, d_out.ptr, nullptr));
           }, 50), static_cast<double>(b * h) * 8);
    report("l2", MedianMs([&](int) {
             CUDA_OK(cuops::L2NormalizeRowsDevice(d_out.ptr, b, h, nullptr));
           }, 50), static_cast<double>(b * h) * 8);
    // The pipeline's chain as it queues behind the engine: two launches.
    report("mean+l2", MedianMs([&](int i) {
             CUDA_OK(cuops::MeanPoolDevice(dx[i % copies]->ptr, d_mask.ptr, b, s, h,
                                           d_out.ptr, nullptr));
             CUDA_OK(cuops::L2NormalizeRowsDevice(d_out.ptr, b, h, nullptr));
           }, 50), in_bytes);
    // What the pooled path saves: copying [B,S,H] to the host versus [B,H].
    float* pinned = nullptr;
    CUDA_OK(cudaMallocHost(&pinned, n * sizeof(float)));
    report("d2h BSH", MedianMs([&](int) {
             CUDA_OK(cudaMemcpyAsync(pinned, dx[0]->ptr, n * sizeof(float),
                                     cudaMemcpyDeviceToHost, nullptr));
           }, 10), in_bytes);
    report("d2h BH", MedianMs([&](int) {
             CUDA_OK(cudaMemcpyAsync(pinned, d_out.ptr, static_cast<size_t>(b * h) * 4,
                                     cudaMemcpyDeviceToHost, nullptr));
           }, 50), static_cast<double>(b * h) * 4);
    CUDA_OK(cudaFreeHost(pinned));
    for (auto* p : dx) delete p;
    for (auto* p : dxh) delete p;
  }
  const int64_t soft[][2] = {{32, 2}, {32, 30522}};
  for (const auto& sh : soft) {
    const size_t n = static_cast<size_t>(sh[0] * sh[1]);
    DeviceBuffer<float> d(n);
    d.Upload(RandomFloats(rng, n, 2.0f));
    DeviceBuffer<float> y(n);
    const float ms = MedianMs([&](int) {
      CUDA_OK(cuops::SoftmaxRowsDevice(d.ptr, sh[0], sh[1], y.ptr, nullptr));
    }, 50);
    std::printf("%-22s %-10s %10.2f %10.0f\n",
                ("rows" + std::to_string(sh[0]) + " C" + std::to_string(sh[1])).c_str(),
                "softmax", ms * 1e3, static_cast<double>(n) * 8 / (ms * 1e-3) / 1e9);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const bool bench = argc > 1 && std::strcmp(argv[1], "--bench") == 0;
  const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  int device_count = 0;
  if (cudaGetDeviceCount(&device_count) != cudaSuccess || device_count == 0) {
    std::printf("no CUDA device: skipping\n");
    return 77;  // ctest SKIP_RETURN_CODE
  }
  cudaDeviceProp prop{};
  CUDA_OK(cudaGetDeviceProperties(&prop, 0));
  std::printf("device: %s (sm_%d%d, %d SMs)\n", prop.name, prop.major, prop.minor,
              prop.multiProcessorCount);
  if (HeaderCheckCallsCompile() != 0) return 1;
  if (!CheckerRejectsBadOutput()) {
    std::printf("checker self-test failed\n");
    return 1;
  }

  std::mt19937_64 rng(20261123);
  for (int64_t b : {1, 7, 32}) {
    for (int64_t s : {1, 13, 128, 512}) {
      for (int64_t h : {384, 768, 1024}) {
        if (quick && b * s * h > (1 << 20)) continue;
        CheckPooling(rng, b, s, h, /*all_zero_single=*/false);
      }
    }
  }
  // B=1 with its only row all padding; hidden sizes off the float4 path.
  CheckPooling(rng, 1, 13, 768, /*all_zero_single=*/true);
  CheckPooling(rng, 7, 13, 97, false);
  CheckPooling(rng, 7, 128, 300, false);
  CheckPooling(rng, 7, 128, 768, false, /*offset=*/1);
  for (int64_t rows : {1, 7, 32}) {
    for (int64_t dim : {2, 384, 768, 1024, 4097}) CheckL2(rng, rows, dim);
  }
  for (int64_t rows : {1, 7, 32}) {
    for (int64_t dim : {2, 768, 4097}) CheckFinite(rng, rows, dim);
  }
  for (int64_t rows : {1, 7, 32}) {
    for (int64_t c : {1, 2, 3, 7, 1000, 30522}) {
      CheckSoftmax(rng, rows, c, 2.0f, false);
      CheckSoftmax(rng, rows, c, 20.0f, true);
    }
  }
  CheckEdgeCases();

  int passed = 0;
  int failed = 0;
  std::printf("\n%-10s %8s %8s %14s %12s\n", "op", "passed", "failed", "max abs err",
              "max |ref|");
  for (const auto& [op, s] : g_stats) {
    std::printf("%-10s %8d %8d %14.3e %12.3e\n", op.c_str(), s.passed, s.failed, s.max_abs_err,
                s.max_ref);
    passed += s.passed;
    failed += s.failed;
  }
  if (bench && failed == 0) Bench();
  std::printf("\ncuda ops: %d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
