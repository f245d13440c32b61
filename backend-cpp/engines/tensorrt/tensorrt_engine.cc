// TensorRT 10 and 11 runtime (nvinfer1, name-based I/O): see tensorrt_engine.h.
// Compiled only where TensorRT is installed (tensorrt.cmake): with the full
// TensorRT (NVIDIA's tritonserver container, docker/Dockerfile.tensorrt) or
// with the lean runtime alone, which loads plans only. What has been checked
// against the real TensorRT is in engines/tensorrt/README.md.
#include "engines/tensorrt/tensorrt_engine.h"

#include <NvInfer.h>
#include <cuda_runtime_api.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "engines/tensorrt/tensorrt_api.h"
#if FASTERBERT_TENSORRT_ONNX
#include "engines/tensorrt/tensorrt_onnx_build.h"
#endif

namespace fasterbert::engines {
namespace {

using tensorrt::Dims2;
using tensorrt::Owned;
using tensorrt::TheLogger;

void CheckCuda(cudaError_t status, const char* what) {
  if (status != cudaSuccess) {
    throw std::runtime_error(std::string(what) + ": " + cudaGetErrorString(status));
  }
}

bool EndsWith(const std::string& text, const std::string& tail) {
  return text.size() >= tail.size() && text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

std::vector<char> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open TensorRT model " + path);
  return std::vector<char>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::vector<char> PlanFromOnnx(const TensorRtEngineOptions& options) {
#if FASTERBERT_TENSORRT_ONNX
  return tensorrt::BuildPlanFromOnnx(options.model_path, options.onnx_max_batch, options.onnx_max_seq);
#else
  throw std::runtime_error("this backend was built with TensorRT's lean runtime, which loads plans only: cannot build " +
                           options.model_path + "; build a plan where TensorRT's builder is installed "
                           "(docker/build-trt-plan.sh) and point the pipeline's engine at it");
#endif
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
  // `engine` was deserialized on `device` and outlives the session's context
  // (the model outlives its instances).
  TensorRtSession(nvinfer1::ICudaEngine& engine, const TensorRtEngineOptions& options,
                  std::vector<Profile> profiles, int device)
      : outputs_(options.binding.outputs), profiles_(std::move(profiles)), device_(device) {
    CheckCuda(cudaSetDevice(device_), "selecting the instance's GPU");
    CheckCuda(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking), "creating a CUDA stream");
    context_.reset(engine.createExecutionContext());
    if (!context_) {
      cudaStreamDestroy(stream_);
      throw std::runtime_error("TensorRT: cannot create an execution context for " + options.model_path);
    }
    inputs_ = {options.binding.input_ids, options.binding.attention_mask};
    if (!options.binding.token_type_ids.empty()) inputs_.push_back(options.binding.token_type_ids);
    for (const std::string& name : inputs_) {
      input_int32_.push_back(engine.getTensorDataType(name.c_str()) == nvinfer1::DataType::kINT32);
    }
    input_buffers_ = std::vector<Buffer>(inputs_.size());
    output_buffers_ = std::vector<Buffer>(outputs_.size());
  }
  ~TensorRtSession() override {
    cudaSetDevice(device_);
    cudaStreamSynchronize(stream_);
    context_.reset();
    input_buffers_.clear();
    output_buffers_.clear();
    cudaStreamDestroy(stream_);
  }
  TensorRtSession(const TensorRtSession&) = delete;
  TensorRtSession& operator=(const TensorRtSession&) = delete;

  void* cuda_stream() const override { return stream_; }

  std::vector<TensorView> Run(const EncodedBatch& batch) override {
    CheckCuda(cudaSetDevice(device_), "selecting the instance's GPU");
    // The previous batch's uploads read the staging, and a profile switch
    // must not overtake its enqueue: wait for it first.
    CheckCuda(cudaStreamSynchronize(stream_), "waiting for the previous batch");
    SelectProfile(batch.batch, batch.seq);
    const int64_t elements = batch.batch * batch.seq;
    const int64_t* sources[] = {batch.input_ids, batch.attention_mask, batch.token_type_ids};
    for (size_t i = 0; i < inputs_.size(); ++i) {
      const char* name = inputs_[i].c_str();
      if (sources[i] == nullptr) throw std::runtime_error("TensorRT input '" + inputs_[i] + "' got no data");
      // INT32 engine inputs (an older export) are narrowed here on the host.
      const size_t bytes = static_cast<size_t>(elements) * (input_int32_[i] ? sizeof(int32_t) : sizeof(int64_t));
      void* staged = input_buffers_[i].Host(bytes);
      if (input_int32_[i]) {
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
    views.reserve(outputs_.size());
    for (size_t i = 0; i < outputs_.size(); ++i) {
      const EngineOutput& wanted = outputs_[i];
      // Known once every input shape is set.
      const nvinfer1::Dims dims = context_->getTensorShape(wanted.name.c_str());
      std::vector<int64_t> shape(dims.d, dims.d + std::max<int32_t>(dims.nbDims, 0));
      std::vector<int64_t> expected = {batch.batch};
      if (wanted.per_token) expected.push_back(batch.seq);
      if (!wanted.per_token || wanted.width > 0) expected.push_back(wanted.width);
      if (shape != expected) {
        throw std::runtime_error("TensorRT output '" + wanted.name + "' has shape " + ShapeText(shape) +
                                 ", expected " + ShapeText(expected));
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
  static std::string ShapeText(const std::vector<int64_t>& shape) {
    std::string text = "[";
    for (size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
    return text + "]";
  }

  // The first profile whose max covers the batch; the switch is enqueued on
  // our stream, before the inputs' shapes are set (TensorRT's order).
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

  std::vector<EngineOutput> outputs_;
  std::vector<Profile> profiles_;
  int device_;
  cudaStream_t stream_ = nullptr;
  Owned<nvinfer1::IExecutionContext> context_;
  std::vector<std::string> inputs_;
  std::vector<bool> input_int32_;
  std::vector<Buffer> input_buffers_, output_buffers_;
};

// A TensorRT engine belongs to the GPU that was current when it was
// deserialized, so each GPU the model's instances run on gets its own
// runtime and engine from the same plan (as Triton's TensorRT backend does).
struct DeviceEngine {
  Owned<nvinfer1::IRuntime> runtime;
  Owned<nvinfer1::ICudaEngine> engine;  // declared last: destroyed before its runtime
};

class TensorRtEngine final : public Engine {
 public:
  explicit TensorRtEngine(const TensorRtEngineOptions& options) : options_(options) {
    int device = 0;
    CheckCuda(cudaGetDevice(&device), "finding the current GPU");
    // An ONNX model is built here, on the current GPU; the instances' GPUs
    // must be of the same model (a plan is specific to one).
    plan_ = EndsWith(options.model_path, ".onnx") ? PlanFromOnnx(options) : ReadFile(options.model_path);
    Check(Load(device));
  }

  std::unique_ptr<EngineSession> OpenSession(const SessionPlacement& placement) override {
    if (!placement.gpu) {
      throw std::runtime_error("the TensorRT engine runs on a GPU: give this model "
                               "instance_group kind KIND_GPU");
    }
    std::lock_guard<std::mutex> lock(mutex_);
    return std::make_unique<TensorRtSession>(Load(placement.device_id), options_, profiles_,
                                             placement.device_id);
  }

  ShapeLimits limits() const override {
    ShapeLimits limits;
    for (const Profile& p : profiles_) {
      limits.max_batch = std::max(limits.max_batch, p.max_batch);
      limits.max_seq = std::max(limits.max_seq, p.max_seq);
    }
    return limits;
  }

  ~TensorRtEngine() override {
    // Each engine is released on its own GPU.
    for (auto& [device, loaded] : devices_) {
      cudaSetDevice(device);
      loaded.engine.reset();
      loaded.runtime.reset();
    }
  }
  TensorRtEngine(const TensorRtEngine&) = delete;
  TensorRtEngine& operator=(const TensorRtEngine&) = delete;

 private:
  // The engine on `device`, deserialized on first use. Callers hold mutex_
  // (the constructor needs none).
  nvinfer1::ICudaEngine& Load(int device) {
    auto found = devices_.find(device);
    if (found != devices_.end()) return *found->second.engine;
    CheckCuda(cudaSetDevice(device), "selecting the instance's GPU");
    DeviceEngine loaded;
    loaded.runtime.reset(nvinfer1::createInferRuntime(TheLogger()));
    if (!loaded.runtime) throw std::runtime_error("TensorRT: cannot create a runtime");
    loaded.engine.reset(loaded.runtime->deserializeCudaEngine(plan_.data(), plan_.size()));
    if (!loaded.engine) {
      throw std::runtime_error("TensorRT cannot load " + options_.model_path + " on GPU " + std::to_string(device) +
                               " (a plan runs only with the TensorRT version and GPU model it was built for)");
    }
    return *devices_.emplace(device, std::move(loaded)).first->second.engine;
  }

  // The named tensors exist with the right direction and type; the profiles'
  // maxima for the input ids decide which profile a batch uses.
  void Check(const nvinfer1::ICudaEngine& engine) {
    auto require = [&](const std::string& name, nvinfer1::TensorIOMode mode) {
      std::string known;
      for (int32_t i = 0; i < engine.getNbIOTensors(); ++i) {
        const char* candidate = engine.getIOTensorName(i);
        if (name == candidate && engine.getTensorIOMode(candidate) == mode) return;
        if (engine.getTensorIOMode(candidate) == mode) {
          known += (known.empty() ? "'" : ", '") + std::string(candidate) + "'";
        }
      }
      const std::string what = mode == nvinfer1::TensorIOMode::kINPUT ? "input" : "output";
      throw std::runtime_error("TensorRT model " + options_.model_path + " has no " + what + " '" + name +
                               "' (its " + what + "s: " + (known.empty() ? "none" : known) + ")");
    };
    const EngineBinding& binding = options_.binding;
    for (const std::string* name : {&binding.input_ids, &binding.attention_mask, &binding.token_type_ids}) {
      if (name->empty()) continue;
      require(*name, nvinfer1::TensorIOMode::kINPUT);
      const nvinfer1::DataType type = engine.getTensorDataType(name->c_str());
      if (type != nvinfer1::DataType::kINT64 && type != nvinfer1::DataType::kINT32) {
        throw std::runtime_error("TensorRT model " + options_.model_path + ": input '" + *name +
                                 "' must be INT64 or INT32");
      }
    }
    // FP16 outputs are rejected rather than converted: the pipeline's ops
    // read FP32, and a plan built with FP32 outputs costs one cast inside
    // TensorRT instead of an extra kernel and buffer here.
    for (const EngineOutput& out : binding.outputs) {
      require(out.name, nvinfer1::TensorIOMode::kOUTPUT);
      if (engine.getTensorDataType(out.name.c_str()) != nvinfer1::DataType::kFLOAT) {
        throw std::runtime_error("TensorRT model " + options_.model_path + ": output '" + out.name +
                                 "' is not FP32; build the plan with FP32 outputs "
                                 "(docker/build-trt-plan.sh does: --outputIOFormats=fp32:chw)");
      }
    }
    for (int32_t p = 0; p < engine.getNbOptimizationProfiles(); ++p) {
      const nvinfer1::Dims max =
          engine.getProfileShape(binding.input_ids.c_str(), p, nvinfer1::OptProfileSelector::kMAX);
      profiles_.push_back({max.nbDims > 0 ? max.d[0] : 0, max.nbDims > 1 ? max.d[1] : 0});
    }
    if (profiles_.empty()) {
      throw std::runtime_error("TensorRT model " + options_.model_path + " has no optimisation profile for '" +
                               binding.input_ids + "'");
    }
  }

  TensorRtEngineOptions options_;
  std::vector<char> plan_;  // kept to deserialize on each further GPU
  std::vector<Profile> profiles_;
  std::mutex mutex_;
  std::map<int, DeviceEngine> devices_;
};

}  // namespace

std::unique_ptr<Engine> MakeTensorRtEngine(const TensorRtEngineOptions& options) {
  return std::make_unique<TensorRtEngine>(options);
}

}  // namespace fasterbert::engines
