#include "engines/openvino/openvino_engine.h"

#include <openvino/openvino.hpp>

#include <set>
#include <stdexcept>
#include <utility>

namespace fasterbert::engines {
namespace {

std::set<std::string> PortNames(const std::vector<ov::Output<ov::Node>>& ports) {
  std::set<std::string> names;
  for (const auto& port : ports) {
    for (const auto& name : port.get_names()) names.insert(name);
  }
  return names;
}

void RequireName(const std::set<std::string>& names, const std::string& name,
                 const char* role, const std::string& path) {
  if (names.count(name) != 0) return;
  std::string known;
  for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
  throw std::runtime_error("engine model '" + path + "' has no " + role + " tensor '" + name +
                           "' (it has: " + known + ")");
}

class OpenVinoSession final : public EngineSession {
 public:
  OpenVinoSession(ov::InferRequest request, const OpenVinoEngineOptions& options)
      : request_(std::move(request)), options_(options) {}

  ops::TokenEmbeddingsView Run(const EncodedBatch& batch) override {
    const ov::Shape shape{static_cast<size_t>(batch.batch), static_cast<size_t>(batch.seq)};
    // ov::Tensor over caller memory: no copy of the packed ids.
    auto bind = [&](const std::string& name, const int64_t* data) {
      request_.set_tensor(name, ov::Tensor(ov::element::i64, shape, const_cast<int64_t*>(data)));
    };
    bind(options_.input_ids, batch.input_ids);
    bind(options_.attention_mask, batch.attention_mask);
    if (!options_.token_type_ids.empty()) bind(options_.token_type_ids, batch.token_type_ids);
    request_.infer();
    ov::Tensor out = request_.get_tensor(options_.token_embeddings);
    const ov::Shape out_shape = out.get_shape();
    if (out_shape.size() != 3 || out_shape[0] != shape[0] || out_shape[1] != shape[1] ||
        out_shape[2] != static_cast<size_t>(options_.hidden_size)) {
      throw std::runtime_error("engine output '" + options_.token_embeddings +
                               "' has shape " + out_shape.to_string() +
                               ", expected [batch, seq, hidden]");
    }
    ops::TokenEmbeddingsView view;
    view.data = out.data<const float>();
    view.batch = batch.batch;
    view.seq = batch.seq;
    view.hidden = options_.hidden_size;
    return view;
  }

 private:
  ov::InferRequest request_;
  OpenVinoEngineOptions options_;
};

class OpenVinoEngine final : public Engine {
 public:
  explicit OpenVinoEngine(const OpenVinoEngineOptions& options) : options_(options) {
    std::shared_ptr<ov::Model> model = core_.read_model(options.model_path);
    const auto inputs = PortNames(model->inputs());
    RequireName(inputs, options.input_ids, "input", options.model_path);
    RequireName(inputs, options.attention_mask, "input", options.model_path);
    if (!options.token_type_ids.empty()) {
      RequireName(inputs, options.token_type_ids, "input", options.model_path);
    }
    RequireName(PortNames(model->outputs()), options.token_embeddings, "output",
                options.model_path);
    const auto& out_shape = model->output(options.token_embeddings).get_partial_shape();
    if (out_shape.rank().is_static() && out_shape.rank().get_length() == 3 &&
        out_shape[2].is_static() && out_shape[2].get_length() != options.hidden_size) {
      throw std::runtime_error("engine output '" + options.token_embeddings + "' of '" +
                               options.model_path + "' has width " +
                               std::to_string(out_shape[2].get_length()) + ", the pipeline expects " +
                               std::to_string(options.hidden_size));
    }
    // f32: on CPUs with BF16 support OpenVINO otherwise computes in bf16,
    // about 1e-2 away from the FP32 model, far outside what users expect.
    ov::AnyMap config{ov::hint::performance_mode(ov::hint::PerformanceMode::LATENCY),
                      ov::hint::inference_precision(ov::element::f32)};
    if (options.num_threads > 0) config.emplace(ov::inference_num_threads(options.num_threads));
    compiled_ = core_.compile_model(model, options.device, config);
  }

  std::unique_ptr<EngineSession> OpenSession() override {
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
