// The pre-tokenizers of a tokenizer.json (HF tokenizers' `pre_tokenizers`):
// each turns the pieces of a text into smaller pieces (HF's splits), which
// may also be rewritten (Metaspace's "▁"); empty pieces are dropped.
#pragma once

#include <memory>
#include <cstdint>
#include <string>
#include <utility>
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
  // The same for one piece without copying it into splits: rewrites *piece
  // as PreTokenize would and sets *ranges to the byte ranges [begin, end)
  // of its non-empty splits (a split equals piece->Slice(begin, end)).
  // False (the default) when this pre-tokenizer cannot; then the caller
  // uses PreTokenize.
  virtual bool SplitInPlace(NormalizedString* piece,
                            std::vector<std::pair<uint32_t, uint32_t>>* ranges) const {
    (void)piece;
    (void)ranges;
    return false;
  }
};

std::unique_ptr<PreTokenizer> MakePreTokenizer(const JsonReader& reader, const JsonValue& value,
                                               const std::string& path);

}  // namespace fasterbert::text
