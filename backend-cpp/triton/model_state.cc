#include "triton/model_state.h"

#include <stdexcept>

#include "engines/engine_factory.h"
#include "text/json.h"
#include "triton/config_check.h"
#include "triton/triton_error.h"

namespace fasterbert::triton {
namespace {

text::BertTokenizerOptions TokenizerOptions(const TokenizerSpec& spec) {
  text::BertTokenizerOptions options;
  options.clean_text = spec.clean_text;
  options.handle_chinese_chars = spec.handle_chinese_chars;
  options.lowercase = spec.lowercase;
  options.strip_accents = spec.strip_accents;
  options.unk_token = spec.unk_token;
  options.cls_token = spec.cls_token;
  options.sep_token = spec.sep_token;
  options.pad_token = spec.pad_token;
  options.continuing_subword_prefix = spec.continuing_subword_prefix;
  options.max_input_chars_per_word = static_cast<size_t>(spec.max_input_chars_per_word);
  return options;
}

}  // namespace

void ModelState::CheckConfigMatchesSpec(TRITONBACKEND_Model* model) const {
  TRITONSERVER_Message* message = nullptr;
  Check(TRITONBACKEND_ModelConfig(model, 1, &message));
  const char* json = nullptr;
  size_t size = 0;
  TRITONSERVER_Error* error = TRITONSERVER_MessageSerializeToJson(message, &json, &size);
  std::string text = error == nullptr ? std::string(json, size) : std::string();
  TRITONSERVER_Error* deleted = TRITONSERVER_MessageDelete(message);
  Check(error);
  Check(deleted);
  const std::string difference =
      CompareModelConfig(text::ParseJson(text, "model '" + name_ + "' configuration"), spec_);
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
  CheckConfigMatchesSpec(model);

  tokenizer_ = std::make_unique<text::BertTokenizer>(text::BertTokenizer::FromVocabFile(
      version_dir_ + "/" + spec_.tokenizer.vocab_file, TokenizerOptions(spec_.tokenizer)));
  faults_ = engines::FaultInjection::FromEnvironment();
  engine_ = engines::InjectFaults(engines::MakeEngine(spec_, version_dir_), faults_);
  if (faults_.active()) {
    FASTERBERT_LOG(TRITONSERVER_LOG_WARN,
                   "faster-bert model '" + name_ +
                       "': FASTERBERT_FAULT_INJECTION is set; faults are injected (tests only)");
  }
  FASTERBERT_LOG(TRITONSERVER_LOG_INFO, "faster-bert model '" + name_ + "' loaded from " +
                                            version_dir_ + " (pipeline '" + spec_.name + "')");
}

}  // namespace fasterbert::triton
