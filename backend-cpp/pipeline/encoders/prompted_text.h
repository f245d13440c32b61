// A text input's prompt (PipelineSpec::text_prompts) put in front of a row's
// text before the tokenizer sees it, as sentence-transformers does with its
// `prompts`: the model reads "query: " + text.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "pipeline/pipeline_spec.h"

namespace fasterbert {

// The prompt of text input `input` ("" when it has none).
std::string_view PromptOf(const PipelineSpec& spec, size_t input);

// `text` when `prompt` is empty, else prompt + text in *scratch (whose
// capacity is kept, so steady serving does not allocate) and a view of it.
std::string_view PromptedText(std::string_view prompt, std::string_view text, std::string* scratch);

}  // namespace fasterbert
