#include "pipeline/encoders/prompted_text.h"

namespace fasterbert {

std::string_view PromptOf(const PipelineSpec& spec, size_t input) {
  // Specs written by hand (tests) may leave text_prompts out.
  return input < spec.text_prompts.size() ? std::string_view(spec.text_prompts[input]) : std::string_view();
}

std::string_view PromptedText(std::string_view prompt, std::string_view text, std::string* scratch) {
  if (prompt.empty()) return text;
  scratch->assign(prompt);
  scratch->append(text);
  return *scratch;
}

}  // namespace fasterbert
