// TensorRT 10 runtime (nvinfer1, name-based I/O): see tensorrt_engine.h.
// Compiled only where TensorRT is installed (tensorrt.cmake); no machine this
// project tests on has it, so this file is built and run in NVIDIA's
// tritonserver container only (docker/Dockerfile.tensorrt).
#include "engines/tensorrt/tensorrt_engine.h"

#include <NvInfer.h>
#include <NvOnnxParser.h>
#include <cuda_runtime_api.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace fasterbert::engines {
namespace {

// TensorRT's messages at WARNING and above go to stderr (the server log);
// the engine stays free of Triton headers.
class Logger final : public nvinfer1::ILogger {
 public:
  void log(Severity severity, const char* message) noexcept override {
    if (severity <= Severity::kWARNING) std::fprintf(stderr, "faster-bert TensorRT: %s\n", message);
  }
};

Logger& TheLogger() {
  static Logger logger;
  return logger;
}

void CheckCuda(cudaError_t status, const char* what) {
  if (status != cudaSuccess) {
    throw std::runtime_error(std::string(what) + ": " + cudaGetErrorString(status));
  }
}

template <typename T>
struct Deleter {
  void operator()(T* object) const { delete object; }  // TensorRT 10: plain delete
};
template <typename T>
using Owned = std::unique_ptr<T, Deleter<T>>;

bool EndsWith(const std::string& text, const std::string& tail) {
  return text.size() >= tail.size() && text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

std::vector<char> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open TensorRT model " + path);
  return std::vector<char>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

nvinfer1::Dims Dims2(int64_t a, int64_t b) {
  nvinfer1::Dims dims{};
  dims.nbDims = 2;
  dims.d[0] = a;
  dims.d[1] = b;
  return dims;
}

// Builds a serialized engine from ONNX: FP16 everywhere except the
// normalization layers and their outputs, kept in FP32 (seed 003: FP16
// LayerNorm loses the embeddings' precision); one profile over batch
// 1..max_batch and sequence 1..max_seq.
std::vector<char> BuildFromOnnx(const std::string& path, int64_t max_batch, int64_t max_seq) {
  Owned<nvinfer1::IBuilder> builder(nvinfer1::createInferBuilder(TheLogger()));
  if (!builder) throw std::runtime_error("TensorRT: cannot create a builder");
  Owned<nvinfer1::INetworkDefinition> network(builder->createNetworkV2(0));
  Owned<nvonnxparser::IParser> parser(nvonnxparser::createParser(*network, TheLogger()));
  if (!parser->parseFromFile(path.c_str(), static_cast<int32_t>(nvinfer1::ILogger::Severity::kWARNING))) {
    std::string why;
    for (int32_t i = 0; i < parser->getNbErrors(); ++i) why += std::string(" ") + parser->getError(i)->desc();
    throw std::runtime_error("TensorRT cannot parse " + path + ":" + why);
  }
  Owned<nvinfer1::IBuilderConfig> config(builder->createBuilderConfig());
  config->setFlag(nvinfer1::BuilderFlag::kFP16);
  config->setFlag(nvinfer1::BuilderFlag::kOBEY_PRECISION_CONSTRAINTS);
  for (int32_t i = 0; i < network->getNbLayers(); ++i) {
    nvinfer1::ILayer* layer = network->getLayer(i);
    if (layer->getType() != nvinfer1::LayerType::kNORMALIZATION) continue;
    layer->setPrecision(nvinfer1::DataType::kFLOAT);
    for (int32_t o = 0; o < layer->getNbOutputs(); ++o) layer->setOutputType(o, nvinfer1::DataType::kFLOAT);
  }
  // The pipeline reads FP32 outputs.
  for (int32_t o = 0; o < network->getNbOutputs(); ++o) network->getOutput(o)->setType(nvinfer1::DataType::kFLOAT);
  nvinfer1::IOptimizationProfile* profile = builder->createOptimizationProfile();
  for (int32_t i = 0; i < network->getNbInputs(); ++i) {
    const char* name = network->getInput(i)->getName();
    profile->setDimensions(name, nvinfer1::OptProfileSelector::kMIN, Dims2(1, 1));
    profile->setDimensions(name, nvinfer1::OptProfileSelector::kOPT, Dims2(max_batch, std::min<int64_t>(max_seq, 128)));
    profile->setDimensions(name, nvinfer1::OptProfileSelector::kMAX, Dims2(max_batch, max_seq));
  }
  config->addOptimizationProfile(profile);
  Owned<nvinfer1::IHostMemory> plan(builder->buildSerializedNetwork(*network, *config));
  if (!plan) throw std::runtime_error("TensorRT could not build an engine from " + path);
  const char* bytes = static_cast<const char*>(plan->data());
  return std::vector<char>(bytes, bytes + plan->size());
}

// Device buffers and pinned staging that grow to the largest batch.
class Buffer {
 public:
  Buffer() = default;
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  ~Buffer() {
    if (device_ != nullptr) cudaFree(device_);
    if (host_ != nullptr) cudaFreeHost(host_);
  }
  void* Device(size_t bytes) {
    if (bytes > device_bytes_) {
      if (device_ != nullptr) cudaFree(device_);
      device_ = nullptr;
      CheckCuda(cudaMalloc(&device_, bytes), "TensorRT buffer allocation");
      device_bytes_ = bytes;
    }
    return device_;
  }
  void* Host(size_t bytes) {
    if (bytes > host_bytes_) {
      if (host_ != nullptr) cudaFreeHost(host_);
      host_ = nullptr;
      CheckCuda(cudaMallocHost(&host_, bytes), "TensorRT pinned allocation");
      host_bytes_ = bytes;
    }
    return host_;
  }

 private:
  void* device_ = nullptr;
  void* host_ = nullptr;
  size_t device_bytes_ = 0, host_bytes_ = 0;
};

struct Profile {
  int64_t max_batch = 0, max_seq = 0;
};

class TensorRtSession final : public EngineSession {
 public:
  TensorRtSession(nvinfer1::ICudaEngine& engine, const TensorRtEngineOptions& options,
                  const std::vector<Profile>& profiles, int device)
      : engine_(engine), options_(options), profiles_(profiles), device_(device) {
    CheckCuda(cudaSetDevice(device_), "selecting the instance's GPU");
    CheckCuda(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking), "creating a CUDA stream");
    context_.reset(engine.createExecutionContext());
    if (!context_) throw std::runtime_error("TensorRT: cannot create an execution context");
    inputs_ = {options.binding.input_ids, options.binding.attention_mask};
    if (!options.binding.token_type_ids.empty()) inputs_.push_back(options.binding.token_type_ids);
    input_buffers_ = std::vector<Buffer>(inputs_.size());
    output_buffers_ = std::vector<Buffer>(options.binding.outputs.size());
  }
  ~TensorRtSession() override {
    cudaStreamSynchronize(stream_);
    context_.reset();
    cudaStreamDestroy(stream_);
  }
  TensorRtSession(const TensorRtSession&) = delete;
  TensorRtSession& operator=(const TensorRtSession&) = delete;

  void* cuda_stream() const override { return stream_; }

  std::vector<TensorView> Run(const EncodedBatch& batch) override {
    CheckCuda(cudaSetDevice(device_), "selecting the instance's GPU");
    SelectProfile(batch.batch, batch.seq);
    const int64_t elements = batch.batch * batch.seq;
    const int64_t* sources[] = {batch.input_ids, batch.attention_mask, batch.token_type_ids};
    // The previous batch's uploads read the staging: wait for them first.
    CheckCuda(cudaStreamSynchronize(stream_), "waiting for the previous batch");
    for (size_t i = 0; i < inputs_.size(); ++i) {
      const char* name = inputs_[i].c_str();
      const bool int32 = engine_.getTensorDataType(name) == nvinfer1::DataType::kINT32;
      const size_t bytes = static_cast<size_t>(elements) * (int32 ? sizeof(int32_t) : sizeof(int64_t));
      void* staged = input_buffers_[i].Host(bytes);
      if (int32) {
        auto* narrow = static_cast<int32_t*>(staged);
        for (int64_t k = 0; k < elements; ++k) narrow[k] = static_cast<int32_t>(sources[i][k]);
      } else {
        std::memcpy(staged, sources[i], bytes);
      }
      void* device = input_buffers_[i].Device(bytes);
      CheckCuda(cudaMemcpyAsync(device, staged, bytes, cudaMemcpyHostToDevice, stream_),
                "uploading the batch");
      if (!context_->setInputShape(name, Dims2(batch.batch, batch.seq)) ||
          !context_->setTensorAddress(name, device)) {
        throw std::runtime_error("TensorRT rejected input '" + inputs_[i] + "' of shape [" +
                                 std::to_string(batch.batch) + ", " + std::to_string(batch.seq) + "]");
      }
    }
    std::vector<TensorView> views;
    for (size_t i = 0; i < options_.binding.outputs.size(); ++i) {
      const EngineOutput& wanted = options_.binding.outputs[i];
      const nvinfer1::Dims dims = context_->getTensorShape(wanted.name.c_str());
      std::vector<int64_t> shape(dims.d, dims.d + std::max<int32_t>(dims.nbDims, 0));
      std::vector<int64_t> expected = {batch.batch};
      if (wanted.per_token) expected.push_back(batch.seq);
      if (!wanted.per_token || wanted.width > 0) expected.push_back(wanted.width);
      if (shape != expected) {
        throw std::runtime_error("TensorRT output '" + wanted.name + "' has the wrong shape for a batch of " +
                                 std::to_string(batch.batch) + " x " + std::to_string(batch.seq));
      }
      int64_t count = 1;
      for (int64_t d : shape) count *= d;
      void* device = output_buffers_[i].Device(static_cast<size_t>(count) * sizeof(float));
      if (!context_->setTensorAddress(wanted.name.c_str(), device)) {
        throw std::runtime_error("TensorRT rejected the buffer of output '" + wanted.name + "'");
      }
      views.push_back({static_cast<const float*>(device), std::move(shape), Memory::kCuda});
    }
    if (!context_->enqueueV3(stream_)) throw std::runtime_error("TensorRT enqueueV3 failed");
    return views;
  }

 private:
  // The first profile whose max covers the batch; switching is asynchronous
  // on our stream.
  void SelectProfile(int64_t rows, int64_t seq) {
    for (size_t p = 0; p < profiles_.size(); ++p) {
      if (profiles_[p].max_batch < rows || profiles_[p].max_seq < seq) continue;
      if (static_cast<int32_t>(p) != context_->getOptimizationProfile() &&
          !context_->setOptimizationProfileAsync(static_cast<int32_t>(p), stream_)) {
        throw std::runtime_error("TensorRT cannot switch to optimisation profile " + std::to_string(p));
      }
      return;
    }
    throw std::runtime_error("no TensorRT optimisation profile takes " + std::to_string(rows) + " rows of " +
                             std::to_string(seq) + " tokens; rebuild the plan with larger max shapes "
                             "or lower maxBatchSize/maxLength");
  }

  nvinfer1::ICudaEngine& engine_;
  const TensorRtEngineOptions& options_;
  const std::vector<Profile>& profiles_;
  int device_;
  cudaStream_t stream_ = nullptr;
  Owned<nvinfer1::IExecutionContext> context_;
  std::vector<std::string> inputs_;
  std::vector<Buffer> input_buffers_, output_buffers_;
};

class TensorRtEngine final : public Engine {
 public:
  explicit TensorRtEngine(const TensorRtEngineOptions& options) : options_(options) {
    std::vector<char> plan = EndsWith(options.model_path, ".onnx")
                                 ? BuildFromOnnx(options.model_path, 64, 512)
                                 : ReadFile(options.model_path);
    runtime_.reset(nvinfer1::createInferRuntime(TheLogger()));
    if (!runtime_) throw std::runtime_error("TensorRT: cannot create a runtime");
    engine_.reset(runtime_->deserializeCudaEngine(plan.data(), plan.size()));
    if (!engine_) throw std::runtime_error("TensorRT cannot load " + options.model_path);
    Check();
  }

  std::unique_ptr<EngineSession> OpenSession(const SessionPlacement& placement) override {
    if (!placement.gpu) {
      throw std::runtime_error("the TensorRT engine runs on a GPU: give this model "
                               "instance_group kind KIND_GPU");
    }
    return std::make_unique<TensorRtSession>(*engine_, options_, profiles_, placement.device_id);
  }

  ShapeLimits limits() const override {
    ShapeLimits limits;
    for (const Profile& p : profiles_) {
      limits.max_batch = std::max(limits.max_batch, p.max_batch);
      limits.max_seq = std::max(limits.max_seq, p.max_seq);
    }
    return limits;
  }

 private:
  // The named tensors exist with the right direction and type; the profiles'
  // maxima for the input ids decide which profile a batch uses.
  void Check() {
    auto find = [&](const std::string& name, nvinfer1::TensorIOMode mode) {
      for (int32_t i = 0; i < engine_->getNbIOTensors(); ++i) {
        const char* candidate = engine_->getIOTensorName(i);
        if (name == candidate && engine_->getTensorIOMode(candidate) == mode) return;
      }
      throw std::runtime_error("TensorRT model " + options_.model_path + " has no " +
                               (mode == nvinfer1::TensorIOMode::kINPUT ? "input" : "output") + " '" + name + "'");
    };
    const EngineBinding& binding = options_.binding;
    for (const std::string* name : {&binding.input_ids, &binding.attention_mask, &binding.token_type_ids}) {
      if (name->empty()) continue;
      find(*name, nvinfer1::TensorIOMode::kINPUT);
      const nvinfer1::DataType type = engine_->getTensorDataType(name->c_str());
      if (type != nvinfer1::DataType::kINT64 && type != nvinfer1::DataType::kINT32) {
        throw std::runtime_error("TensorRT input '" + *name + "' must be INT64 or INT32");
      }
    }
    for (const EngineOutput& out : binding.outputs) {
      find(out.name, nvinfer1::TensorIOMode::kOUTPUT);
      if (engine_->getTensorDataType(out.name.c_str()) != nvinfer1::DataType::kFLOAT) {
        throw std::runtime_error("TensorRT output '" + out.name +
                                 "' is not FP32; build the plan with FP32 outputs "
                                 "(docker/build-trt-plan.sh does: --outputIOFormats=fp32:chw)");
      }
    }
    for (int32_t p = 0; p < engine_->getNbOptimizationProfiles(); ++p) {
      const nvinfer1::Dims max =
          engine_->getProfileShape(binding.input_ids.c_str(), p, nvinfer1::OptProfileSelector::kMAX);
      profiles_.push_back({max.nbDims > 0 ? max.d[0] : 0, max.nbDims > 1 ? max.d[1] : 0});
    }
  }

  TensorRtEngineOptions options_;
  Owned<nvinfer1::IRuntime> runtime_;
  Owned<nvinfer1::ICudaEngine> engine_;
  std::vector<Profile> profiles_;
};

}  // namespace

std::unique_ptr<Engine> MakeTensorRtEngine(const TensorRtEngineOptions& options) {
  return std::make_unique<TensorRtEngine>(options);
}

}  // namespace fasterbert::engines
