// The pre-tokenizers of a tokenizer.json (HF tokenizers' `pre_tokenizers`):
// each turns the pieces of a text into smaller pieces (HF's splits), which
// may also be rewritten (Metaspace's "▁"); empty pieces are dropped.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "text/json.h"
#include "text/json_reader.h"
#include "text/normalized_string.h"

namespace fasterbert::text {

class PreTokenizer {
 public:
  virtual ~PreTokenizer() = default;
  // Replaces *pieces with their splits, in order.
  virtual void PreTokenize(std::vector<NormalizedString>* pieces) const = 0;
};

std::unique_ptr<PreTokenizer> MakePreTokenizer(const JsonReader& reader, const JsonValue& value,
                                               const std::string& path);

}  // namespace fasterbert::text
