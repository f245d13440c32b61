#include "engines/torch/aot_inductor_engine.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#include <cuda_runtime_api.h>
#include <torch/csrc/inductor/aoti_package/model_package_loader.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace fasterbert::engines {
namespace {

size_t PositionOf(const std::vector<std::string>& order, const std::string& name,
                  const char* what, const std::string& path) {
  const auto it = std::find(order.begin(), order.end(), name);
  if (it == order.end()) {
    std::string known;
    for (const std::string& n : order) known += (known.empty() ? "'" : ", '") + n + "'";
    throw std::runtime_error("AOTInductor package " + path + " has no " + what + " '" + name +
                             "' (its " + what + "s: " + (known.empty() ? "none" : known) + ")");
  }
  return static_cast<size_t>(it - order.begin());
}

std::string ShapeText(at::IntArrayRef shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

class AotInductorSession final : public EngineSession {
 public:
  AotInductorSession(const AotInductorEngineOptions& options, int device)
      : options_(options),
        device_(static_cast<c10::DeviceIndex>(device)),
        stream_(c10::cuda::getStreamFromPool(/*isHighPriority=*/false, device_)) {
    c10::cuda::CUDAGuard guard(device_);
    // One loader per instance: its runner is not meant to be shared between
    // threads, and each instance then owns its weights on its device.
    loader_ = std::make_unique<torch::inductor::AOTIModelPackageLoader>(
        options.package_path, "model", /*run_single_threaded=*/false, /*num_runners=*/1,
        device_);
    const size_t inputs = options.input_order.size();
    feeds_.assign(inputs, Feed::kNone);
    feeds_[PositionOf(options.input_order, options.binding.input_ids, "input", options.package_path)] =
        Feed::kIds;
    feeds_[PositionOf(options.input_order, options.binding.attention_mask, "input",
                      options.package_path)] = Feed::kMask;
    if (!options.binding.token_type_ids.empty()) {
      feeds_[PositionOf(options.input_order, options.binding.token_type_ids, "input",
                        options.package_path)] = Feed::kTypes;
    }
    for (size_t i = 0; i < inputs; ++i) {
      if (feeds_[i] == Feed::kNone) {
        throw std::runtime_error("AOTInductor package " + options.package_path + " input '" +
                                 options.input_order[i] +
                                 "' would get no data: the runtime feeds input ids, attention "
                                 "mask and token type ids only");
      }
    }
    for (const EngineOutput& wanted : options.binding.outputs) {
      output_positions_.push_back(
          PositionOf(options.output_order, wanted.name, "output", options.package_path));
    }
    if (cudaEventCreateWithFlags(&uploaded_, cudaEventDisableTiming) != cudaSuccess) {
      throw std::runtime_error("cannot create a CUDA event");
    }
  }
  ~AotInductorSession() override {
    cudaEventSynchronize(uploaded_);
    cudaEventDestroy(uploaded_);
  }
  AotInductorSession(const AotInductorSession&) = delete;
  AotInductorSession& operator=(const AotInductorSession&) = delete;

  void* cuda_stream() const override { return stream_.stream(); }

  std::vector<TensorView> Run(const EncodedBatch& batch) override {
    c10::cuda::CUDAGuard guard(device_);
    c10::cuda::CUDAStreamGuard stream_guard(stream_);
    c10::InferenceMode inference;
    const int64_t elements = batch.batch * batch.seq;
    // The previous batch's upload must be done before the staging is reused.
    cudaEventSynchronize(uploaded_);
    // [3, batch, seq] int64 in pinned memory, then one async copy up.
    if (staging_.numel() < 3 * elements) {
      staging_ = at::empty({3 * elements}, at::TensorOptions().dtype(at::kLong).pinned_memory(true));
    }
    auto* staged = staging_.data_ptr<int64_t>();
    const size_t bytes = static_cast<size_t>(elements) * sizeof(int64_t);
    std::memcpy(staged, batch.input_ids, bytes);
    std::memcpy(staged + elements, batch.attention_mask, bytes);
    if (batch.token_type_ids != nullptr) {
      std::memcpy(staged + 2 * elements, batch.token_type_ids, bytes);
    } else {
      std::memset(staged + 2 * elements, 0, bytes);
    }
    at::Tensor packed = staging_.narrow(0, 0, 3 * elements)
                            .to(at::Device(at::kCUDA, device_), /*non_blocking=*/true)
                            .view({3, batch.batch, batch.seq});
    cudaEventRecord(uploaded_, stream_.stream());
    inputs_.clear();
    for (Feed feed : feeds_) inputs_.push_back(packed[static_cast<int64_t>(feed) - 1]);
    // Enqueued on our stream; the pipeline's device ops and copies follow
    // on the same stream, so nothing waits here.
    outputs_ = loader_->run(inputs_, stream_.stream());

    std::vector<TensorView> views;
    views.reserve(options_.binding.outputs.size());
    for (size_t i = 0; i < options_.binding.outputs.size(); ++i) {
      const EngineOutput& wanted = options_.binding.outputs[i];
      at::Tensor& out = outputs_.at(output_positions_[i]);
      if (out.scalar_type() != at::kFloat) out = out.to(at::kFloat);
      if (!out.is_contiguous()) out = out.contiguous();
      std::vector<int64_t> expected = {batch.batch};
      if (wanted.per_token) expected.push_back(batch.seq);
      if (!wanted.per_token || wanted.width > 0) expected.push_back(wanted.width);
      if (out.sizes().vec() != expected) {
        throw std::runtime_error("engine output '" + wanted.name + "' has shape " +
                                 ShapeText(out.sizes()) + ", expected " +
                                 ShapeText(expected));
      }
      views.push_back({out.data_ptr<float>(), std::move(expected), Memory::kCuda});
    }
    return views;
  }

 private:
  enum class Feed { kNone = 0, kIds = 1, kMask = 2, kTypes = 3 };

  AotInductorEngineOptions options_;
  c10::DeviceIndex device_;
  c10::cuda::CUDAStream stream_;
  std::unique_ptr<torch::inductor::AOTIModelPackageLoader> loader_;
  std::vector<Feed> feeds_;             // per package input position
  std::vector<size_t> output_positions_;  // per wanted output
  at::Tensor staging_;
  std::vector<at::Tensor> inputs_;
  std::vector<at::Tensor> outputs_;  // kept alive until the next Run
  cudaEvent_t uploaded_ = nullptr;  // the pinned staging's upload
};

class AotInductorEngine final : public Engine {
 public:
  explicit AotInductorEngine(const AotInductorEngineOptions& options) : options_(options) {}

  std::unique_ptr<EngineSession> OpenSession(const SessionPlacement& placement) override {
    if (!placement.gpu) {
      throw std::runtime_error("the AOTInductor engine runs on a GPU: give this model "
                               "instance_group kind KIND_GPU");
    }
    return std::make_unique<AotInductorSession>(options_, placement.device_id);
  }

  ShapeLimits limits() const override { return options_.limits; }

 private:
  AotInductorEngineOptions options_;
};

}  // namespace

std::unique_ptr<Engine> MakeAotInductorEngine(const AotInductorEngineOptions& options) {
  return std::make_unique<AotInductorEngine>(options);
}

}  // namespace fasterbert::engines
