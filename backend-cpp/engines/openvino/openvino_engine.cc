#include "engines/openvino/openvino_engine.h"

#include <openvino/openvino.hpp>

#include <algorithm>
#include <cstdio>
#include <set>
#include <stdexcept>
#include <utility>

#include "engines/openvino/cgroup_cpu_quota.h"
#include "engines/openvino/int8_fallback.h"

namespace fasterbert::engines {
namespace {

std::set<std::string> PortNames(const std::vector<ov::Output<ov::Node>>& ports) {
  std::set<std::string> names;
  for (const auto& port : ports) {
    for (const auto& name : port.get_names()) names.insert(name);
  }
  return names;
}

// bf16 where the device reports BF16 among its capabilities; elsewhere f32
// (what OpenVINO would run anyway), said once in the server log.
ov::element::Type InferencePrecision(ov::Core& core, const OpenVinoEngineOptions& options) {
  if (options.inference_precision == "f32") return ov::element::f32;
  if (options.inference_precision != "bf16") {
    throw std::runtime_error("OpenVINO inference precision '" + options.inference_precision +
                             "' is not f32 or bf16");
  }
  const std::vector<std::string> capabilities =
      core.get_property(options.device, ov::device::capabilities);
  if (std::find(capabilities.begin(), capabilities.end(), "BF16") != capabilities.end()) {
    return ov::element::bf16;
  }
  std::fprintf(stderr, "faster-bert OpenVINO: %s has no BF16 on this %s; computing in f32\n",
               options.model_path.c_str(), options.device.c_str());
  return ov::element::f32;
}

std::string ShapeText(const std::vector<int64_t>& shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

void RequireName(const std::set<std::string>& names, const std::string& name,
                 const char* role, const std::string& path) {
  if (names.count(name) != 0) return;
  std::string known;
  for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
  throw std::runtime_error("engine model '" + path + "' has no " + role + " tensor '" + name +
                           "' (it has: " + known + ")");
}

// The static parts of an output's shape must agree with what the pipeline
// reads; dynamic dims are checked on every Run.
void CheckOutputShape(const ov::PartialShape& shape, const EngineOutput& wanted,
                      const std::string& path) {
  if (shape.rank().is_dynamic()) return;
  const int64_t rank = wanted.per_token ? (wanted.width > 0 ? 3 : 2) : 2;
  const auto where = "engine output '" + wanted.name + "' of '" + path + "'";
  if (shape.rank().get_length() != rank) {
    throw std::runtime_error(where + " has rank " + std::to_string(shape.rank().get_length()) +
                             ", the pipeline expects " + std::to_string(rank));
  }
  const auto& last = shape[rank - 1];
  const bool has_width = !wanted.per_token || wanted.width > 0;
  if (has_width && last.is_static() && last.get_length() != wanted.width) {
    throw std::runtime_error(where + " has width " + std::to_string(last.get_length()) +
                             ", the pipeline expects " + std::to_string(wanted.width));
  }
}

class OpenVinoSession final : public EngineSession {
 public:
  OpenVinoSession(ov::InferRequest request, const OpenVinoEngineOptions& options)
      : request_(std::move(request)), options_(options) {}

  std::vector<TensorView> Run(const EncodedBatch& batch) override {
    const ov::Shape shape{static_cast<size_t>(batch.batch), static_cast<size_t>(batch.seq)};
    // ov::Tensor over caller memory: no copy of the packed ids.
    auto bind = [&](const std::string& name, const int64_t* data) {
      request_.set_tensor(name, ov::Tensor(ov::element::i64, shape, const_cast<int64_t*>(data)));
    };
    bind(options_.binding.input_ids, batch.input_ids);
    bind(options_.binding.attention_mask, batch.attention_mask);
    if (!options_.binding.token_type_ids.empty()) bind(options_.binding.token_type_ids, batch.token_type_ids);
    request_.infer();
    std::vector<TensorView> views;
    views.reserve(options_.binding.outputs.size());
    for (const EngineOutput& wanted : options_.binding.outputs) {
      ov::Tensor out = request_.get_tensor(wanted.name);
      std::vector<int64_t> expected = {batch.batch};
      if (wanted.per_token) expected.push_back(batch.seq);
      if (!wanted.per_token || wanted.width > 0) expected.push_back(wanted.width);
      const ov::Shape got = out.get_shape();
      if (std::vector<int64_t>(got.begin(), got.end()) != expected) {
        throw std::runtime_error("engine output '" + wanted.name + "' has shape " +
                                 got.to_string() + ", expected " + ShapeText(expected));
      }
      views.push_back({out.data<const float>(), std::move(expected)});
    }
    return views;
  }

 private:
  ov::InferRequest request_;
  OpenVinoEngineOptions options_;
};

// The threads of all streams: what the deployment (config.pbtxt) or the
// pipeline asked for; else, where the cgroup's CPU quota allows fewer cores
// than the process sees, that many (cgroup_cpu_quota.h), at least one a
// stream; else 0, OpenVINO's default.
int ThreadsToAskFor(const OpenVinoEngineOptions& options, int streams) {
  if (options.total_threads > 0) return options.total_threads;
  if (options.num_threads > 0) return options.num_threads * streams;
  const int quota = CgroupCpuQuotaCores();
  const int visible = AffinityCores();
  if (quota == 0 || quota >= visible) return 0;
  const int threads = std::max(quota, streams);
  std::fprintf(stderr,
               "faster-bert OpenVINO: the cgroup's CPU quota allows %d of the %d cores this process sees: "
               "asking for %d thread(s) (config.pbtxt's INFERENCE_NUM_THREADS overrides)\n",
               quota, visible, threads);
  return threads;
}

// The options with model_path set to the file this CPU should run (int8_fallback.h).
OpenVinoEngineOptions ForThisCpu(OpenVinoEngineOptions options) {
  const bool dot_product = CpuHasInt8DotProduct();
  const std::string& path = ModelPathToLoad(options, dot_product);
  if (path != options.model_path) {
    std::fprintf(stderr, "faster-bert OpenVINO: %s; loading the FP32 model %s instead of %s\n",
                 Int8FallbackReason(dot_product).c_str(), path.c_str(), options.model_path.c_str());
    options.model_path = path;
  }
  return options;
}

class OpenVinoEngine final : public Engine {
 public:
  explicit OpenVinoEngine(const OpenVinoEngineOptions& requested) : options_(ForThisCpu(requested)) {
    const OpenVinoEngineOptions& options = options_;
    std::shared_ptr<ov::Model> model = core_.read_model(options.model_path);
    const auto inputs = PortNames(model->inputs());
    RequireName(inputs, options.binding.input_ids, "input", options.model_path);
    RequireName(inputs, options.binding.attention_mask, "input", options.model_path);
    if (!options.binding.token_type_ids.empty()) {
      RequireName(inputs, options.binding.token_type_ids, "input", options.model_path);
    }
    const auto outputs = PortNames(model->outputs());
    for (const EngineOutput& wanted : options.binding.outputs) {
      RequireName(outputs, wanted.name, "output", options.model_path);
      CheckOutputShape(model->output(wanted.name).get_partial_shape(), wanted, options.model_path);
    }
    // f32 unless the pipeline chose bf16: on CPUs with BF16 support OpenVINO
    // otherwise computes in bf16, about 1e-2 away from the FP32 model, far
    // outside what users expect who did not ask for it.
    ov::AnyMap config{ov::hint::inference_precision(InferencePrecision(core_, options))};
    // One stream: each call on every core. Several instances: a stream each,
    // so their calls run side by side instead of queueing for one stream
    // (what Triton users expect of instance_group count).
    const int streams = std::max(1, options.streams);
    if (streams == 1) {
      config.emplace(ov::hint::performance_mode(ov::hint::PerformanceMode::LATENCY));
    } else {
      config.emplace(ov::hint::performance_mode(ov::hint::PerformanceMode::THROUGHPUT));
      config.emplace(ov::num_streams(streams));
    }
    const int threads = ThreadsToAskFor(options, streams);
    if (threads > 0) config.emplace(ov::inference_num_threads(threads));
    if (options.cpu_pinning.has_value()) {
      config.emplace(ov::hint::enable_cpu_pinning(*options.cpu_pinning));
    }
    compiled_ = core_.compile_model(model, options.device, config);
    std::fprintf(stderr, "faster-bert OpenVINO: %s compiled with %d stream(s), %d thread(s), pinning %s\n",
                 options.model_path.c_str(), compiled_.get_property(ov::num_streams).num,
                 compiled_.get_property(ov::inference_num_threads),
                 compiled_.get_property(ov::hint::enable_cpu_pinning) ? "on" : "off");
  }

  std::unique_ptr<EngineSession> OpenSession(const SessionPlacement& placement) override {
    if (placement.gpu) {
      throw std::runtime_error("the OpenVINO engine runs on the CPU: give this model "
                               "instance_group kind KIND_CPU");
    }
    return std::make_unique<OpenVinoSession>(compiled_.create_infer_request(), options_);
  }

 private:
  OpenVinoEngineOptions options_;
  ov::Core core_;
  ov::CompiledModel compiled_;
};

}  // namespace

std::unique_ptr<Engine> MakeOpenVinoEngine(const OpenVinoEngineOptions& options) {
  return std::make_unique<OpenVinoEngine>(options);
}

}  // namespace fasterbert::engines
