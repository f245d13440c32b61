#include "triton/model_state.h"

#include <stdexcept>

#include "engines/engine_factory.h"
#include "text/json.h"
#include "triton/config_check.h"
#include "triton/triton_error.h"

namespace fasterbert::triton {

namespace {

// The model's configuration as Triton completed it (config.pbtxt plus defaults).
text::JsonValue ReadModelConfig(TRITONBACKEND_Model* model, const std::string& name) {
  TRITONSERVER_Message* message = nullptr;
  Check(TRITONBACKEND_ModelConfig(model, 1, &message));
  const char* json = nullptr;
  size_t size = 0;
  TRITONSERVER_Error* error = TRITONSERVER_MessageSerializeToJson(message, &json, &size);
  std::string text = error == nullptr ? std::string(json, size) : std::string();
  TRITONSERVER_Error* deleted = TRITONSERVER_MessageDelete(message);
  Check(error);
  Check(deleted);
  return text::ParseJson(text, "model '" + name + "' configuration");
}

}  // namespace

void ModelState::CheckConfigMatchesSpec(const text::JsonValue& config) const {
  const std::string difference = CompareModelConfig(config, spec_);
  if (!difference.empty()) {
    throw std::runtime_error("model '" + name_ + "': config.pbtxt does not match the pipeline '" +
                             spec_.name + "' this backend was built from: " + difference +
                             "; run codegen build again, or restore the config.pbtxt it wrote");
  }
}

ModelState::ModelState(TRITONBACKEND_Model* model) : spec_(MakePipelineSpec()) {
  const char* name = nullptr;
  Check(TRITONBACKEND_ModelName(model, &name));
  name_ = name;
  uint64_t version = 0;
  Check(TRITONBACKEND_ModelVersion(model, &version));
  TRITONBACKEND_ArtifactType artifact_type;
  const char* location = nullptr;
  Check(TRITONBACKEND_ModelRepository(model, &artifact_type, &location));
  if (artifact_type != TRITONBACKEND_ARTIFACT_FILESYSTEM) {
    throw std::runtime_error("model '" + name_ + "' must live on a local filesystem");
  }
  version_dir_ = std::string(location) + "/" + std::to_string(version);
  const text::JsonValue config = ReadModelConfig(model, name_);
  CheckConfigMatchesSpec(config);
  const int instances = InstanceCount(config);
  OpenVinoParameters openvino;
  try {
    response_thread_ = ResponseThreadParameter(config);
    openvino = ReadOpenVinoParameters(config);
  } catch (const std::exception& e) {
    throw std::runtime_error("model '" + name_ + "': " + e.what());
  }

  // A tokenizer.json is read as it is (any family, BERT with the pipeline's
  // overrides); a vocab.txt with the settings codegen resolved is BERT WordPiece.
  tokenizer_ = spec_.tokenizer.tokenizer_json_file.empty()
                   ? text::Tokenizer::FromBert(text::BertTokenizer::FromVocabFile(
                         version_dir_ + "/" + spec_.tokenizer.vocab_file, spec_.tokenizer.options))
                   : text::Tokenizer::FromTokenizerJson(
                         version_dir_ + "/" + spec_.tokenizer.tokenizer_json_file,
                         spec_.tokenizer.tokenizer_json_overrides);
  faults_ = engines::FaultInjection::FromEnvironment();
  // The engine is compiled for the instance count at load (an OpenVINO stream
  // each). Triton changes a loaded model's instance count in place when only
  // instance_group changed, without a new ModelState: the streams stay as
  // they are until the model is unloaded and loaded again.
  engine_ = engines::InjectFaults(
      engines::MakeEngine(spec_.engine,
                          {spec_.max_batch_size, spec_.tokenizer.max_length, instances,
                           openvino.inference_num_threads, openvino.cpu_pinning},
                          version_dir_),
      faults_);
  if (faults_.active()) {
    FASTERBERT_LOG(TRITONSERVER_LOG_WARN,
                   "faster-bert model '" + name_ +
                       "': FASTERBERT_FAULT_INJECTION is set; faults are injected (tests only)");
  }
  FASTERBERT_LOG(TRITONSERVER_LOG_INFO, "faster-bert model '" + name_ + "' loaded from " +
                                            version_dir_ + " (pipeline '" + spec_.name + "')");
}

}  // namespace fasterbert::triton
