#include "triton/config_check.h"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>
#include <vector>

namespace fasterbert::triton {
namespace {

bool ToInt(const std::string& text, int64_t* out) {
  if (text.empty()) return false;
  char* end = nullptr;
  *out = std::strtoll(text.c_str(), &end, 10);
  return *end == '\0';
}

// Triton's JSON spells int64 fields as strings ("dims": ["384"]) or numbers.
bool ToInt(const text::JsonValue& value, int64_t* out) {
  if (value.is_integer()) {
    *out = value.integer();
    return true;
  }
  return value.is_string() && ToInt(value.string(), out);
}

std::string DimsText(const std::vector<int64_t>& dims) {
  std::string out = "[";
  for (size_t i = 0; i < dims.size(); ++i) out += (i ? ", " : "") + std::to_string(dims[i]);
  return out + "]";
}

struct Tensor {
  std::string name;
  std::string data_type;
  std::vector<int64_t> dims;
};

const char* ConfigType(DataType type) {
  switch (type) {
    case DataType::kFp32:
      return "TYPE_FP32";
    case DataType::kInt64:
      return "TYPE_INT64";
    case DataType::kBytes:
      return "TYPE_STRING";
  }
  return "?";
}

// The tensors the compiled spec reads and writes.
std::vector<Tensor> SpecInputs(const PipelineSpec& spec) {
  std::vector<Tensor> inputs;
  for (size_t t = 0; t < spec.text_inputs.size(); ++t) {
    // Reranking's passages are a list in the request's one row.
    const bool list = spec.encoding.kind == EncodingKind::kQueryPassages && t == 1;
    inputs.push_back({spec.text_inputs[t], "TYPE_STRING", {list ? -1 : 1}});
  }
  return inputs;
}

std::vector<Tensor> SpecOutputs(const PipelineSpec& spec) {
  std::vector<Tensor> outputs;
  for (const OutputSpec& out : spec.outputs) {
    outputs.push_back({out.name, ConfigType(OutputDataType(out.kind)), {out.dim}});
  }
  return outputs;
}

// The first difference between config's `key` list and `want`, or "".
std::string CompareTensors(const text::JsonValue& config, const char* key,
                           const std::vector<Tensor>& want) {
  const text::JsonValue* list = config.Find(key);
  const size_t have = list != nullptr && list->is_array() ? list->array().size() : 0;
  if (have != want.size()) {
    return std::string(key) + ": " + std::to_string(have) + " in config.pbtxt, " +
           std::to_string(want.size()) + " in the compiled pipeline";
  }
  for (const Tensor& tensor : want) {
    const text::JsonValue* found = nullptr;
    for (const text::JsonValue& entry : list->array()) {
      const text::JsonValue* name = entry.Find("name");
      if (name != nullptr && name->is_string() && name->string() == tensor.name) found = &entry;
    }
    const std::string what = std::string(key) + " '" + tensor.name + "'";
    if (found == nullptr) return what + " is missing from config.pbtxt";
    const text::JsonValue* type = found->Find("data_type");
    const std::string type_text = type != nullptr && type->is_string() ? type->string() : "?";
    if (type_text != tensor.data_type) {
      return what + " has data_type " + type_text + " in config.pbtxt, " + tensor.data_type +
             " in the compiled pipeline";
    }
    std::vector<int64_t> dims;
    if (const text::JsonValue* d = found->Find("dims"); d != nullptr && d->is_array()) {
      for (const text::JsonValue& v : d->array()) {
        int64_t n = 0;
        if (!ToInt(v, &n)) return what + " has dims that are not integers in config.pbtxt";
        dims.push_back(n);
      }
    }
    if (dims != tensor.dims) {
      return what + " has dims " + DimsText(dims) + " in config.pbtxt, " + DimsText(tensor.dims) +
             " in the compiled pipeline";
    }
  }
  return {};
}

// One of config.pbtxt's `parameters`, as Triton's JSON gives it:
// {"parameters": {"KEY": {"string_value": "..."}}}.
struct Parameter {
  bool present = false;
  const std::string* text = nullptr;  // its string_value, when it has one

  std::string Quoted() const { return text != nullptr ? ", not \"" + *text + "\"" : std::string(); }
};

Parameter FindParameter(const text::JsonValue& config, const char* key) {
  const text::JsonValue* parameters = config.Find("parameters");
  const text::JsonValue* parameter = parameters != nullptr ? parameters->Find(key) : nullptr;
  if (parameter == nullptr) return {};
  const text::JsonValue* value = parameter->Find("string_value");
  return {true, value != nullptr && value->is_string() ? &value->string() : nullptr};
}

}  // namespace

std::string CompareModelConfig(const text::JsonValue& config, const PipelineSpec& spec) {
  int64_t max_batch_size = 0;
  const text::JsonValue* batch = config.Find("max_batch_size");
  if (batch != nullptr && !ToInt(*batch, &max_batch_size)) {
    return "max_batch_size is not an integer in config.pbtxt";
  }
  if (max_batch_size != spec.max_batch_size) {
    return "max_batch_size is " + std::to_string(max_batch_size) + " in config.pbtxt, " +
           std::to_string(spec.max_batch_size) + " in the compiled pipeline";
  }
  std::string difference = CompareTensors(config, "input", SpecInputs(spec));
  if (difference.empty()) difference = CompareTensors(config, "output", SpecOutputs(spec));
  return difference;
}

int InstanceCount(const text::JsonValue& config) {
  const text::JsonValue* groups = config.Find("instance_group");
  if (groups == nullptr || !groups->is_array() || groups->array().empty()) return 1;
  int64_t total = 0;
  for (const text::JsonValue& group : groups->array()) {
    int64_t count = 1;
    const text::JsonValue* c = group.Find("count");
    if (c != nullptr && (!ToInt(*c, &count) || count < 1)) {
      throw std::runtime_error("instance_group count is not a positive integer in config.pbtxt");
    }
    const text::JsonValue* gpus = group.Find("gpus");
    const size_t devices = gpus != nullptr && gpus->is_array() ? gpus->array().size() : 0;
    total += count * static_cast<int64_t>(std::max<size_t>(1, devices));
  }
  return static_cast<int>(std::min<int64_t>(total, 1024));
}

bool ResponseThreadParameter(const text::JsonValue& config) {
  const Parameter parameter = FindParameter(config, "response_thread");
  if (!parameter.present) return false;
  if (parameter.text != nullptr && *parameter.text == "true") return true;
  if (parameter.text != nullptr && *parameter.text == "false") return false;
  throw std::runtime_error(
      "config.pbtxt parameter 'response_thread' must have string_value \"true\" or \"false\"" +
      parameter.Quoted());
}

OpenVinoParameters ReadOpenVinoParameters(const text::JsonValue& config) {
  OpenVinoParameters out;
  if (const Parameter threads = FindParameter(config, "INFERENCE_NUM_THREADS"); threads.present) {
    int64_t n = -1;
    if (threads.text == nullptr || !ToInt(*threads.text, &n) || n < 0 || n > 4096) {
      throw std::runtime_error(
          "config.pbtxt parameter 'INFERENCE_NUM_THREADS' must have string_value a whole number "
          "from 0 (as built) to 4096" + threads.Quoted());
    }
    out.inference_num_threads = static_cast<int>(n);
  }
  if (const Parameter pinning = FindParameter(config, "ENABLE_CPU_PINNING"); pinning.present) {
    const std::string value = pinning.text != nullptr ? *pinning.text : std::string();
    if (value == "YES") {
      out.cpu_pinning = true;
    } else if (value == "NO") {
      out.cpu_pinning = false;
    } else {
      throw std::runtime_error(
          "config.pbtxt parameter 'ENABLE_CPU_PINNING' must have string_value \"YES\" or \"NO\"" +
          pinning.Quoted());
    }
  }
  return out;
}

}  // namespace fasterbert::triton
