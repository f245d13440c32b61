// The normalizers of a tokenizer.json (HF tokenizers' `normalizers`), each
// rewriting a NormalizedString in place with HF's alignments.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "text/json.h"
#include "text/json_reader.h"
#include "text/normalized_string.h"

namespace fasterbert::text {

class Normalizer {
 public:
  virtual ~Normalizer() = default;
  virtual void Normalize(NormalizedString* s) const = 0;
};

// Builds the normalizer described at `path` (e.g. "normalizer" or
// "normalizer.normalizers[1]"); throws (through `reader`) naming the path,
// the type and what is supported when it is not implemented.
std::unique_ptr<Normalizer> MakeNormalizer(const JsonReader& reader, const JsonValue& value,
                                           const std::string& path);

}  // namespace fasterbert::text
