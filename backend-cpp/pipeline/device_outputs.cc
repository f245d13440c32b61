#include "pipeline/device_outputs.h"

#include <cstring>
#include <numeric>
#include <stdexcept>
#include <string>

#if FASTERBERT_WITH_CUDA
#include <cuda_runtime_api.h>

#include "ops/cuda/pooling_cuda.h"
#endif

namespace fasterbert {

#if FASTERBERT_WITH_CUDA
namespace {

void CheckCuda(cudaError_t status, const char* what) {
  if (status != cudaSuccess) {
    throw std::runtime_error(std::string(what) + ": " + cudaGetErrorString(status));
  }
}

// A device or pinned host allocation that grows to the largest batch seen.
template <bool kPinned>
class Growable {
 public:
  ~Growable() { Release(); }
  void* Reserve(size_t bytes) {
    if (bytes <= capacity_) return data_;
    Release();
    CheckCuda(kPinned ? cudaMallocHost(&data_, bytes) : cudaMalloc(&data_, bytes),
              kPinned ? "pinned host allocation" : "device allocation");
    capacity_ = bytes;
    return data_;
  }

 private:
  void Release() {
    if (data_ != nullptr) kPinned ? cudaFreeHost(data_) : cudaFree(data_);
    data_ = nullptr;
    capacity_ = 0;
  }
  void* data_ = nullptr;
  size_t capacity_ = 0;
};

}  // namespace

struct DeviceOutputs::Buffers {
  ~Buffers() {
    if (uploaded != nullptr) cudaEventDestroy(uploaded);
    if (upload != nullptr) cudaStreamDestroy(upload);
  }
  Growable<true> host_mask;
  Growable<false> device_mask;
  Growable<false> row_done;  // the fused pool + L2 kernel's counters
  Growable<false> device_pooled;
  Growable<true> host_pooled;
  std::vector<Growable<true>> host_copies;  // ToHost, per slot
  // The mask's upload runs on a stream of its own while the engine still
  // computes; the pooling waits for `uploaded` instead of queueing the copy
  // behind the engine on the session's stream.
  cudaStream_t upload = nullptr;
  cudaEvent_t uploaded = nullptr;
};

namespace {

// The pooling of a [pool, L2] chain that one fused launch runs; nullptr else.
using FusedPoolL2 = cudaError_t (*)(const float*, const int64_t*, int64_t, int64_t, int64_t,
                                    float*, unsigned int*, cudaStream_t);
FusedPoolL2 FusedFor(const std::vector<PostOp>& ops) {
  if (ops.size() != 2 || ops[1] != PostOp::kL2Normalize) return nullptr;
  if (ops[0] == PostOp::kMeanPool) return ops::cuda::MeanPoolL2Device;
  if (ops[0] == PostOp::kMaxPool) return ops::cuda::MaxPoolL2Device;
  return nullptr;
}

}  // namespace

DeviceOutputs::DeviceOutputs() : buffers_(std::make_unique<Buffers>()) {}
DeviceOutputs::~DeviceOutputs() = default;

bool DeviceOutputs::Available() { return true; }

void DeviceOutputs::PoolToHost(const engines::TensorView& hidden, const int64_t* host_mask,
                               int64_t batch, int64_t seq, const std::vector<PostOp>& ops,
                               float* out, void* stream_handle) {
  const auto stream = static_cast<cudaStream_t>(stream_handle);
  const int64_t width = hidden.shape.back();
  const size_t mask_bytes = static_cast<size_t>(batch * seq) * sizeof(int64_t);
  const size_t pooled_bytes = static_cast<size_t>(batch * width) * sizeof(float);
  if (buffers_->upload == nullptr) {
    CheckCuda(cudaStreamCreateWithFlags(&buffers_->upload, cudaStreamNonBlocking),
              "creating the mask upload stream");
    CheckCuda(cudaEventCreateWithFlags(&buffers_->uploaded, cudaEventDisableTiming),
              "creating the mask upload event");
  }
  const FusedPoolL2 fused = FusedFor(ops);
  // The mask goes up through pinned memory so the copy is truly async. The
  // last call's copy is done: its pooling waited for it, and we synchronised.
  auto* staged_mask = static_cast<int64_t*>(buffers_->host_mask.Reserve(mask_bytes));
  std::memcpy(staged_mask, host_mask, mask_bytes);
  auto* mask = static_cast<int64_t*>(buffers_->device_mask.Reserve(mask_bytes));
  CheckCuda(cudaMemcpyAsync(mask, staged_mask, mask_bytes, cudaMemcpyHostToDevice, buffers_->upload),
            "copying the attention mask to the GPU");
  unsigned int* row_done = nullptr;
  if (fused != nullptr) {
    const size_t done_bytes = static_cast<size_t>(batch) * sizeof(unsigned int);
    row_done = static_cast<unsigned int*>(buffers_->row_done.Reserve(done_bytes));
    CheckCuda(cudaMemsetAsync(row_done, 0, done_bytes, buffers_->upload), "zeroing row counters");
  }
  CheckCuda(cudaEventRecord(buffers_->uploaded, buffers_->upload), "recording the mask upload");
  CheckCuda(cudaStreamWaitEvent(stream, buffers_->uploaded, 0), "ordering pooling after the mask");
  auto* pooled = static_cast<float*>(buffers_->device_pooled.Reserve(pooled_bytes));
  bool have_pooled = false;
  if (fused != nullptr) {  // pooling and L2 in one launch
    CheckCuda(fused(hidden.data, mask, batch, seq, width, pooled, row_done, stream),
              "pooling and normalizing on the GPU");
    have_pooled = true;
  }
  for (PostOp op : fused != nullptr ? std::vector<PostOp>() : ops) {
    switch (op) {
      case PostOp::kMeanPool:
        CheckCuda(ops::cuda::MeanPoolDevice(hidden.data, mask, batch, seq, width, pooled, stream),
                  "mean pooling on the GPU");
        have_pooled = true;
        break;
      case PostOp::kClsPool:
        CheckCuda(ops::cuda::ClsPoolDevice(hidden.data, batch, seq, width, pooled, stream),
                  "CLS pooling on the GPU");
        have_pooled = true;
        break;
      case PostOp::kMaxPool:
        CheckCuda(ops::cuda::MaxPoolDevice(hidden.data, mask, batch, seq, width, pooled, stream),
                  "max pooling on the GPU");
        have_pooled = true;
        break;
      case PostOp::kL2Normalize:
        if (!have_pooled) throw std::runtime_error("normalize before pooling");
        CheckCuda(ops::cuda::L2NormalizeRowsDevice(pooled, batch, width, stream),
                  "L2 normalize on the GPU");
        break;
    }
  }
  if (!have_pooled) throw std::runtime_error("a sentence embedding needs a pooling step");
  auto* staged = static_cast<float*>(buffers_->host_pooled.Reserve(pooled_bytes));
  CheckCuda(cudaMemcpyAsync(staged, pooled, pooled_bytes, cudaMemcpyDeviceToHost, stream),
            "copying pooled rows to the host");
  CheckCuda(cudaStreamSynchronize(stream), "waiting for the GPU");
  std::memcpy(out, staged, pooled_bytes);
}

engines::TensorView DeviceOutputs::ToHost(const engines::TensorView& view, size_t slot,
                                          void* stream_handle) {
  const auto stream = static_cast<cudaStream_t>(stream_handle);
  if (buffers_->host_copies.size() <= slot) buffers_->host_copies.resize(slot + 1);
  const int64_t elements =
      std::accumulate(view.shape.begin(), view.shape.end(), int64_t{1}, std::multiplies<>());
  const size_t bytes = static_cast<size_t>(elements) * sizeof(float);
  auto* host = static_cast<float*>(buffers_->host_copies[slot].Reserve(bytes));
  CheckCuda(cudaMemcpyAsync(host, view.data, bytes, cudaMemcpyDeviceToHost, stream),
            "copying an engine output to the host");
  CheckCuda(cudaStreamSynchronize(stream), "waiting for the GPU");
  return {host, view.shape, engines::Memory::kHost};
}

#else  // no CUDA in this build

struct DeviceOutputs::Buffers {};

DeviceOutputs::DeviceOutputs() = default;
DeviceOutputs::~DeviceOutputs() = default;

bool DeviceOutputs::Available() { return false; }

namespace {
[[noreturn]] void NoCuda() {
  throw std::runtime_error(
      "the engine returned GPU memory but this backend was built without CUDA");
}
}  // namespace

void DeviceOutputs::PoolToHost(const engines::TensorView&, const int64_t*, int64_t, int64_t,
                               const std::vector<PostOp>&, float*, void*) {
  NoCuda();
}

engines::TensorView DeviceOutputs::ToHost(const engines::TensorView&, size_t, void*) {
  NoCuda();
}

#endif

}  // namespace fasterbert
