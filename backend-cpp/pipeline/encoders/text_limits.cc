#include "pipeline/encoders/text_limits.h"

namespace fasterbert {

std::string CheckTextLimits(std::string_view text, const std::string& input, const PipelineSpec& spec) {
  if (text.empty() && !spec.allow_empty_text) {
    return "input '" + input + "' holds an empty text; send at least one character";
  }
  if (text.size() > static_cast<size_t>(spec.max_text_bytes)) {
    return "input '" + input + "' holds a text of " + std::to_string(text.size()) +
           " bytes, over this model's limit of " + std::to_string(spec.max_text_bytes);
  }
  return {};
}

}  // namespace fasterbert
