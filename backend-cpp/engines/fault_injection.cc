#include "engines/fault_injection.h"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <stdexcept>
#include <vector>

namespace fasterbert::engines {
namespace {

bool RowHolds(const EncodedBatch& batch, int64_t row, int64_t token) {
  const int64_t* ids = batch.input_ids + row * batch.seq;
  return std::find(ids, ids + batch.seq, token) != ids + batch.seq;
}

class FaultySession : public EngineSession {
 public:
  FaultySession(std::unique_ptr<EngineSession> inner, FaultInjection faults)
      : inner_(std::move(inner)), faults_(std::move(faults)) {}

  std::vector<TensorView> Run(const EncodedBatch& batch) override {
    for (int64_t b = 0; b < batch.batch && faults_.engine_throw_token >= 0; ++b) {
      if (RowHolds(batch, b, faults_.engine_throw_token)) {
        throw std::runtime_error("injected engine fault (row " + std::to_string(b) + " of " +
                                 std::to_string(batch.batch) + ")");
      }
    }
    std::vector<TensorView> views = inner_->Run(batch);
    if (faults_.engine_nan_token < 0) return views;
    copies_.resize(views.size());
    for (size_t i = 0; i < views.size(); ++i) {
      TensorView& view = views[i];
      if (view.memory != Memory::kHost || view.shape.empty()) continue;
      size_t count = 1;
      for (int64_t d : view.shape) count *= static_cast<size_t>(d);
      copies_[i].assign(view.data, view.data + count);
      const size_t per_row = count / static_cast<size_t>(std::max<int64_t>(view.shape[0], 1));
      for (int64_t b = 0; b < batch.batch; ++b) {
        if (!RowHolds(batch, b, faults_.engine_nan_token)) continue;
        std::fill_n(copies_[i].begin() + static_cast<std::ptrdiff_t>(b * per_row), per_row,
                    std::numeric_limits<float>::quiet_NaN());
      }
      view.data = copies_[i].data();
    }
    return views;
  }

  void* cuda_stream() const override { return inner_->cuda_stream(); }

 private:
  std::unique_ptr<EngineSession> inner_;
  FaultInjection faults_;
  std::vector<std::vector<float>> copies_;
};

class FaultyEngine : public Engine {
 public:
  FaultyEngine(std::unique_ptr<Engine> inner, FaultInjection faults)
      : inner_(std::move(inner)), faults_(std::move(faults)) {}

  std::unique_ptr<EngineSession> OpenSession(const SessionPlacement& placement) override {
    return std::make_unique<FaultySession>(inner_->OpenSession(placement), faults_);
  }
  ShapeLimits limits() const override { return inner_->limits(); }

 private:
  std::unique_ptr<Engine> inner_;
  FaultInjection faults_;
};

int64_t ParseTokenId(const std::string& key, const std::string& value) {
  char* end = nullptr;
  const long long id = std::strtoll(value.c_str(), &end, 10);
  if (value.empty() || *end != '\0' || id < 0) {
    throw std::invalid_argument("FASTERBERT_FAULT_INJECTION: " + key + " wants a token id, not '" +
                                value + "'");
  }
  return static_cast<int64_t>(id);
}

}  // namespace

FaultInjection FaultInjection::Parse(const std::string& text) {
  FaultInjection faults;
  size_t begin = 0;
  while (begin <= text.size()) {
    size_t end = text.find(';', begin);
    if (end == std::string::npos) end = text.size();
    const std::string part = text.substr(begin, end - begin);
    begin = end + 1;
    if (part.empty()) continue;
    const size_t eq = part.find('=');
    const std::string key = part.substr(0, eq);
    const std::string value = eq == std::string::npos ? std::string() : part.substr(eq + 1);
    if (key == "engine-throw") {
      faults.engine_throw_token = ParseTokenId(key, value);
    } else if (key == "engine-nan") {
      faults.engine_nan_token = ParseTokenId(key, value);
    } else if (key == "batch-throw" && !value.empty()) {
      faults.batch_throw_text = value;
    } else {
      throw std::invalid_argument("FASTERBERT_FAULT_INJECTION: cannot read '" + part +
                                  "'; use engine-throw=ID, engine-nan=ID or batch-throw=TEXT");
    }
  }
  return faults;
}

FaultInjection FaultInjection::FromEnvironment() {
  const char* text = std::getenv("FASTERBERT_FAULT_INJECTION");
  return text == nullptr ? FaultInjection{} : Parse(text);
}

std::unique_ptr<Engine> InjectFaults(std::unique_ptr<Engine> engine, const FaultInjection& faults) {
  if (faults.engine_throw_token < 0 && faults.engine_nan_token < 0) return engine;
  return std::make_unique<FaultyEngine>(std::move(engine), faults);
}

}  // namespace fasterbert::engines
