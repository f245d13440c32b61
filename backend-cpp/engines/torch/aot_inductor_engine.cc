#include "engines/torch/aot_inductor_engine.h"

#include <ATen/ATen.h>
#include <ATen/cuda/CUDAGraph.h>
#include <c10/core/InferenceMode.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#include <cuda_runtime_api.h>
#include <torch/csrc/inductor/aoti_package/model_package_loader.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <stdexcept>
#include <tuple>
#include <utility>

#include "engines/cuda_graph_buckets.h"

namespace fasterbert::engines {
namespace {

// The input a token-packed package (our exporter's --pack-tokens) takes
// beside ids, mask and type ids: the flat [batch x seq] positions of the
// batch's real tokens, in order, padded with batch x seq (a scratch row).
constexpr const char* kTokenIndexInput = "token_index";

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
    // threads, and each instance then owns its weights on its device. Only
    // this session's thread calls it, so its single-threaded run serves: it
    // records no completion event of its own, which a graph capture would
    // otherwise take into the graph.
    loader_ = std::make_unique<torch::inductor::AOTIModelPackageLoader>(
        options.package_path, "model", /*run_single_threaded=*/true, /*num_runners=*/1,
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
      if (feeds_[i] == Feed::kNone && options.input_order[i] == kTokenIndexInput) {
        feeds_[i] = Feed::kTokenIndex;
        packs_tokens_ = true;
      }
      if (feeds_[i] == Feed::kNone) {
        throw std::runtime_error("AOTInductor package " + options.package_path + " input '" +
                                 options.input_order[i] +
                                 "' would get no data: the runtime feeds input ids, attention "
                                 "mask, token type ids and token_index only");
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
    cudaStreamSynchronize(stream_.stream());  // no replay in flight when the graphs go
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
    const int64_t real = packs_tokens_ ? RealTokens(batch) : 0;
    const bool graphed = options_.cuda_graphs &&
                         ReplaysAsGraph(packs_tokens_ ? real : batch.batch * batch.seq,
                                        options_.graph_max_tokens);
    const GraphBucket shape =
        graphed ? GraphBucketFor(batch.batch, batch.seq, options_.limits.max_batch, options_.limits.max_seq)
                : GraphBucket{batch.batch, batch.seq};
    const Layout layout = Stage(batch, shape, real, graphed);
    const at::Tensor staged = staging_.narrow(0, 0, layout.size());
    std::vector<at::Tensor>* model_outputs = &outputs_;
    if (CapturedCall* call = graphed ? CallFor(shape, layout) : nullptr) {
      call->input.copy_(staged, /*non_blocking=*/true);
      cudaEventRecord(uploaded_, stream_.stream());
      call->graph.replay();
      model_outputs = &call->outputs;
    } else {
      at::Tensor packed = staged.to(at::Device(at::kCUDA, device_), /*non_blocking=*/true);
      cudaEventRecord(uploaded_, stream_.stream());
      // Enqueued on our stream; the pipeline's device ops and copies follow
      // on the same stream, so nothing waits here.
      outputs_ = RunModel(packed, shape, layout);
    }
    return Views(*model_outputs, batch, shape);
  }

 private:
  // One shape bucket's graph: the static input it reads and the outputs it
  // writes (both in the graph's memory pool, reused by every replay).
  struct CapturedCall {
    at::Tensor input;  // [Layout::size()] int64 on the device (see Stage)
    at::cuda::CUDAGraph graph;
    std::vector<at::Tensor> outputs;
  };

  // Where Stage puts each input in the staging.
  struct Layout {
    int64_t stride = 0;  // ids, mask and type ids: a [shape] block each, `stride` apart
    int64_t tokens = 0;  // token_index's length after them (0: the package takes none)
    int64_t size() const { return 3 * stride + tokens; }
  };

  // Writes ids, mask and type ids into the pinned staging, each a [shape]
  // block `stride` elements after the last (stride: the block rounded up to
  // 16 bytes, the alignment the package was compiled for): the batch's rows,
  // each padded to shape.seq with masked positions, then empty rows (all
  // masked) up to shape.batch. A token-packed package's token_index follows:
  // the real tokens' flat positions (`real` of them), padded to a token
  // bucket when the call is `graphed`.
  Layout Stage(const EncodedBatch& batch, const GraphBucket& shape, int64_t real, bool graphed) {
    // The previous batch's upload must be done before the staging is reused.
    cudaEventSynchronize(uploaded_);
    const int64_t elements = shape.batch * shape.seq;
    Layout layout;
    layout.stride = (elements + 1) / 2 * 2;
    if (packs_tokens_) {
      layout.tokens = graphed ? TokenBucketFor(real, elements) : std::max<int64_t>(real, 2);
    }
    // One slot past the layout: the token_index loop below writes there.
    if (staging_.numel() < layout.size() + 1) {
      staging_ = at::empty({layout.size() + 1}, at::TensorOptions().dtype(at::kLong).pinned_memory(true));
    }
    int64_t* staged = staging_.data_ptr<int64_t>();
    const int64_t* sources[3] = {batch.input_ids, batch.attention_mask, batch.token_type_ids};
    for (int part = 0; part < 3; ++part) {
      int64_t* to = staged + part * layout.stride;
      const int64_t* from = sources[part];
      if (shape.seq == batch.seq && from != nullptr) {
        std::memcpy(to, from, static_cast<size_t>(batch.batch * batch.seq) * sizeof(int64_t));
        std::memset(to + batch.batch * batch.seq, 0,
                    static_cast<size_t>(elements - batch.batch * batch.seq) * sizeof(int64_t));
        continue;
      }
      std::memset(to, 0, static_cast<size_t>(elements) * sizeof(int64_t));
      if (from == nullptr) continue;  // no token type ids: all 0
      for (int64_t row = 0; row < batch.batch; ++row) {
        std::memcpy(to + row * shape.seq, from + row * batch.seq,
                    static_cast<size_t>(batch.seq) * sizeof(int64_t));
      }
    }
    if (packs_tokens_) {
      const int64_t* mask = staged + layout.stride;
      int64_t* index = staged + 3 * layout.stride;
      // Branch-free (every position is written, kept only where the mask
      // is set): mixed lengths make a branch on the mask mispredict, and
      // this loop runs on the host before the call's first kernel.
      int64_t written = 0;
      for (int64_t i = 0; i < elements; ++i) {
        index[written] = i;
        written += mask[i] != 0;
      }
      std::fill(index + written, index + layout.tokens, elements);
    }
    return layout;
  }

  static int64_t RealTokens(const EncodedBatch& batch) {
    int64_t real = 0;
    for (int64_t i = 0; i < batch.batch * batch.seq; ++i) real += batch.attention_mask[i] != 0;
    return real;
  }

  // Runs the package on the device copy of a staged batch.
  std::vector<at::Tensor> RunModel(const at::Tensor& packed, const GraphBucket& shape,
                                   const Layout& layout) {
    inputs_.clear();
    for (Feed feed : feeds_) {
      if (feed == Feed::kTokenIndex) {
        inputs_.push_back(packed.narrow(0, 3 * layout.stride, layout.tokens));
        continue;
      }
      inputs_.push_back(packed.narrow(0, (static_cast<int64_t>(feed) - 1) * layout.stride,
                                      shape.batch * shape.seq)
                            .view({shape.batch, shape.seq}));
    }
    return loader_->run(inputs_, stream_.stream());
  }

  // The bucket's graph, captured on first use: one eager run at that shape
  // first (it loads the kernels that shape uses and, on the session's first
  // call, folds the package's constants), then the capture. Every graph of
  // the session shares one memory pool: they replay one at a time on one
  // stream, and each keeps its own outputs alive. nullptr when a package
  // cannot be captured (it then runs eagerly, as without cuda_graphs).
  CapturedCall* CallFor(const GraphBucket& shape, const Layout& layout) {
    if (capture_failed_) return nullptr;
    const auto key = std::make_tuple(shape.batch, shape.seq, layout.tokens);
    auto found = graphs_.find(key);
    if (found != graphs_.end()) return found->second.get();
    auto call = std::make_unique<CapturedCall>();
    call->input = at::zeros({layout.size()}, at::TensorOptions().dtype(at::kLong).device(at::kCUDA, device_));
    // Warm-up on the bucket's empty (all-masked) input.
    RunModel(call->input, shape, layout);
    // Thread-local capture: other instances' threads keep using CUDA freely.
    call->graph.capture_begin(pool_, cudaStreamCaptureModeThreadLocal);
    try {
      call->outputs = RunModel(call->input, shape, layout);
      call->graph.capture_end();
    } catch (const std::exception& e) {
      // Ends the capture (and the allocator's routing to the graph's pool)
      // where the package failed inside it.
      cudaStreamCaptureStatus status = cudaStreamCaptureStatusNone;
      cudaStreamIsCapturing(stream_.stream(), &status);
      if (status != cudaStreamCaptureStatusNone) {
        try {
          call->graph.capture_end();
        } catch (const std::exception&) {
        }
      }
      cudaGetLastError();  // clears the capture's error
      capture_failed_ = true;
      std::fprintf(stderr,
                   "faster-bert: AOTInductor package %s cannot be captured as a CUDA graph "
                   "(%s); running it without graphs\n",
                   options_.package_path.c_str(), e.what());
      return nullptr;
    }
    if (graphs_.empty()) pool_ = call->graph.pool();
    return graphs_.emplace(key, std::move(call)).first->second.get();
  }

  // The wanted outputs as FP32 [batch, seq, ...] / [batch, width] views: the
  // bucket's padding is cut off (a copy on the stream when there was any).
  std::vector<TensorView> Views(std::vector<at::Tensor>& model_outputs, const EncodedBatch& batch,
                                const GraphBucket& shape) {
    std::vector<TensorView> views;
    views.reserve(options_.binding.outputs.size());
    results_.resize(options_.binding.outputs.size());
    for (size_t i = 0; i < options_.binding.outputs.size(); ++i) {
      const EngineOutput& wanted = options_.binding.outputs[i];
      at::Tensor out = model_outputs.at(output_positions_[i]);
      std::vector<int64_t> expected = {shape.batch};
      if (wanted.per_token) expected.push_back(shape.seq);
      if (!wanted.per_token || wanted.width > 0) expected.push_back(wanted.width);
      if (out.sizes().vec() != expected) {
        throw std::runtime_error("engine output '" + wanted.name + "' has shape " +
                                 ShapeText(out.sizes()) + ", expected " + ShapeText(expected));
      }
      if (shape.batch != batch.batch) out = out.narrow(0, 0, batch.batch);
      if (wanted.per_token && shape.seq != batch.seq) out = out.narrow(1, 0, batch.seq);
      if (out.scalar_type() != at::kFloat) out = out.to(at::kFloat);
      // contiguous() copies a narrowed view; results_ keeps the tensor alive
      // until the next Run (a graph's own outputs change at its next replay).
      results_[i] = out.contiguous();
      expected[0] = batch.batch;
      if (wanted.per_token) expected[1] = batch.seq;
      views.push_back({results_[i].data_ptr<float>(), std::move(expected), Memory::kCuda});
    }
    return views;
  }

 private:
  // Ids, mask and type ids: their block in the staging (Layout) is feed - 1.
  enum class Feed { kNone = 0, kIds = 1, kMask = 2, kTypes = 3, kTokenIndex = 4 };

  AotInductorEngineOptions options_;
  c10::DeviceIndex device_;
  c10::cuda::CUDAStream stream_;
  std::unique_ptr<torch::inductor::AOTIModelPackageLoader> loader_;
  std::vector<Feed> feeds_;             // per package input position
  bool packs_tokens_ = false;           // the package takes token_index
  std::vector<size_t> output_positions_;  // per wanted output
  at::Tensor staging_;
  std::vector<at::Tensor> inputs_;
  std::vector<at::Tensor> outputs_;  // the eager path's, kept alive until the next Run
  using GraphPool = decltype(std::declval<at::cuda::CUDAGraph&>().pool());
  GraphPool pool_ = {0, 0};  // shared by the graphs; {0, 0}: a new one
  // Per [batch, seq, token_index length] (the last 0 for a padded package).
  std::map<std::tuple<int64_t, int64_t, int64_t>, std::unique_ptr<CapturedCall>> graphs_;
  bool capture_failed_ = false;
  // What Run's views point at, until the next Run (freed before the graphs).
  std::vector<at::Tensor> results_;
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
