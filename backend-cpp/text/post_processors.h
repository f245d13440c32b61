// The post-processor of a tokenizer.json (HF tokenizers' `processors`): the
// special tokens it puts around one sequence or a pair (TemplateProcessing,
// RobertaProcessing, BertProcessing) and whether ByteLevel trims offsets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "text/json.h"
#include "text/json_reader.h"
#include "text/special_template.h"

namespace fasterbert::text {

// One item of a template's single or pair list as the file writes it, so
// that a reader taking only some templates (the BERT path) can tell them
// apart by their tokens, which SpecialTemplate's ids do not keep.
struct TemplatePiece {
  bool special = false;  // SpecialToken, else Sequence
  std::string id;        // the special token's name in special_tokens, or "A" / "B"
  int32_t type_id = 0;
  size_t ids = 0;        // how many ids the special token stands for
  // Whether the item holds its SpecialToken or Sequence alone: HF refuses
  // more keys, the general tokenizer reads such an item anyway.
  bool alone = true;
};

// What the post-processor does: the special tokens, and ByteLevel's offset
// trimming (HF's process_offsets) when asked.
struct PostProcessing {
  SpecialTemplate special;
  // The template's lists (BertProcessing's and RobertaProcessing's as the
  // lists they stand for); empty without a template.
  std::vector<TemplatePiece> single_pieces, pair_pieces;
  bool trim_offsets = false;
  bool trim_add_prefix_space = false;
  bool has_template = false;
};

// Reads the post-processor at `path` ("post_processor", or an item of a
// Sequence) into *out; throws (through `r`) naming the path for anything
// not supported, e.g. a second template. `list_read`, when given, is called
// once the template's single list is in *out (with false) and once its pair
// list is (true): a caller that takes only some templates refuses one at
// the first list that does not fit, before the next one is read.
void ReadPostProcessor(const JsonReader& r, const JsonValue& post, const std::string& path,
                       PostProcessing* out,
                       const std::function<void(bool pair)>& list_read = nullptr);

}  // namespace fasterbert::text
