// The post-processor of a tokenizer.json (HF tokenizers' `processors`): the
// special tokens it puts around one sequence or a pair (TemplateProcessing,
// RobertaProcessing, BertProcessing) and whether ByteLevel trims offsets.
#pragma once

#include <string>

#include "text/json.h"
#include "text/json_reader.h"
#include "text/special_template.h"

namespace fasterbert::text {

// What the post-processor does: the special tokens, and ByteLevel's offset
// trimming (HF's process_offsets) when asked.
struct PostProcessing {
  SpecialTemplate special;
  bool trim_offsets = false;
  bool trim_add_prefix_space = false;
  bool has_template = false;
};

// Reads the post-processor at `path` ("post_processor", or an item of a
// Sequence) into *out; throws (through `r`) naming the path for anything
// not supported, e.g. a second template.
void ReadPostProcessor(const JsonReader& r, const JsonValue& post, const std::string& path,
                       PostProcessing* out);

}  // namespace fasterbert::text
