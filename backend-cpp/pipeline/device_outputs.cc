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

// Makes the stream's GPU the thread's current device for a scope, and gives
// the thread its own back after: an instance on GPU 1 allocates, launches
// and copies there whatever device its thread has current (Triton's
// instance threads start on device 0, and the AOTInductor engine restores
// the thread's device when its Run returns).
class StreamDeviceScope {
 public:
  explicit StreamDeviceScope(cudaStream_t stream) {
    CheckCuda(cudaGetDevice(&previous_), "reading the current GPU");
    int device = previous_;
    CheckCuda(cudaStreamGetDevice(stream, &device), "finding the GPU of the engine's stream");
    if (device != previous_) {
      CheckCuda(cudaSetDevice(device), "selecting the engine's GPU");
      switched_ = true;
    }
  }
  ~StreamDeviceScope() {
    if (switched_) cudaSetDevice(previous_);
  }
  StreamDeviceScope(const StreamDeviceScope&) = delete;
  StreamDeviceScope& operator=(const StreamDeviceScope&) = delete;

 private:
  int previous_ = 0;
  bool switched_ = false;
};

}  // namespace

struct DeviceOutputs::Buffers {
  Growable<true> host_mask;
  Growable<false> device_mask;
  Growable<false> device_pooled;
  Growable<true> host_pooled;
  std::vector<Growable<true>> host_copies;  // ToHost, per slot
};

DeviceOutputs::DeviceOutputs() : buffers_(std::make_unique<Buffers>()) {}
DeviceOutputs::~DeviceOutputs() = default;

bool DeviceOutputs::Available() { return true; }

DeviceOutputs::PooledRows DeviceOutputs::PoolToHost(const engines::TensorView& hidden,
                                                    const int64_t* host_mask, int64_t batch,
                                                    int64_t seq, const std::vector<PostOp>& ops,
                                                    void* stream_handle) {
  const auto stream = static_cast<cudaStream_t>(stream_handle);
  const StreamDeviceScope on_its_gpu(stream);
  const int64_t width = hidden.shape.back();
  const size_t mask_bytes = static_cast<size_t>(batch * seq) * sizeof(int64_t);
  const size_t pooled_bytes = static_cast<size_t>(batch * width) * sizeof(float);
  // The mask goes up through pinned memory so the copy is truly async.
  auto* staged_mask = static_cast<int64_t*>(buffers_->host_mask.Reserve(mask_bytes));
  std::memcpy(staged_mask, host_mask, mask_bytes);
  auto* mask = static_cast<int64_t*>(buffers_->device_mask.Reserve(mask_bytes));
  CheckCuda(cudaMemcpyAsync(mask, staged_mask, mask_bytes, cudaMemcpyHostToDevice, stream),
            "copying the attention mask to the GPU");
  // The rows' finiteness flags follow the rows, so one copy brings both back.
  const size_t result_bytes = pooled_bytes + static_cast<size_t>(batch);
  auto* pooled = static_cast<float*>(buffers_->device_pooled.Reserve(result_bytes));
  auto* finite = reinterpret_cast<uint8_t*>(pooled) + pooled_bytes;
  bool have_pooled = false, flagged = false;
  for (size_t k = 0; k < ops.size(); ++k) {
    const PostOp op = ops[k];
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
        // The last op flags the rows in its own pass over them.
        flagged = k + 1 == ops.size();
        CheckCuda(ops::cuda::L2NormalizeRowsDevice(pooled, batch, width, stream,
                                                   flagged ? finite : nullptr),
                  "L2 normalize on the GPU");
        break;
    }
  }
  if (!have_pooled) throw std::runtime_error("a sentence embedding needs a pooling step");
  if (!flagged) {
    CheckCuda(ops::cuda::FiniteRowsDevice(pooled, batch, width, finite, stream),
              "checking pooled rows on the GPU");
  }
  auto* staged = static_cast<float*>(buffers_->host_pooled.Reserve(result_bytes));
  CheckCuda(cudaMemcpyAsync(staged, pooled, result_bytes, cudaMemcpyDeviceToHost, stream),
            "copying pooled rows to the host");
  CheckCuda(cudaStreamSynchronize(stream), "waiting for the GPU");
  return {staged, reinterpret_cast<const uint8_t*>(staged) + pooled_bytes};
}

engines::TensorView DeviceOutputs::ToHost(const engines::TensorView& view, size_t slot,
                                          void* stream_handle) {
  const auto stream = static_cast<cudaStream_t>(stream_handle);
  const StreamDeviceScope on_its_gpu(stream);
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

DeviceOutputs::PooledRows DeviceOutputs::PoolToHost(const engines::TensorView&, const int64_t*,
                                                    int64_t, int64_t, const std::vector<PostOp>&,
                                                    void*) {
  NoCuda();
}

engines::TensorView DeviceOutputs::ToHost(const engines::TensorView&, size_t, void*) {
  NoCuda();
}

#endif

}  // namespace fasterbert
