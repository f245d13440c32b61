// Token classification (NER) entities: each engine row's per-token logits,
// the row's tokens (vocab strings and byte offsets from the tokenizer) and
// its text go to ops::DecodeTokenEntities with the words rules of the
// tokenizer's family (its subword prefix and decoder, as HF reads them); the entities become the JSON
// output (kEntities) and the typed ones (label ids, character offsets,
// scores, padded to the output's dim).
#pragma once

#include <string_view>
#include <vector>

#include "ops/token_entities.h"
#include "pipeline/heads/head.h"
#include "text/tokenizer.h"

namespace fasterbert {

class EntitiesHead final : public Head {
 public:
  static bool Owns(OutputKind kind) { return IsEntityOutput(kind); }

  EntitiesHead(const PipelineSpec& spec, std::vector<size_t> outputs,
               const text::Tokenizer& tokenizer);
  void ReadCall(const EngineCallOutputs& call, BatchResult* result) override;

 private:
  void StartBatch(const std::vector<TextRow>& rows, const EngineRows& engine_rows,
                  BatchResult* result) override;
  // Text row `row`: its encoding (one engine row, the template's specials
  // around the text's tokens), its text,
  // and its logits at `logits` ([seq, num_labels], row-major).
  void Collect(const text::Encoding& encoding, std::string_view text, const float* logits,
               size_t row, BatchResult* result);

  // Any family; the constructor refuses a tokenizer whose decoder is not
  // supported (the words could not be HF's).
  const text::Tokenizer& tokenizer_;
  ops::TokenWords words_;
  std::vector<ops::TokenPiece> pieces_;   // scratch
  const std::vector<TextRow>* rows_ = nullptr;  // the batch's, for the rows' texts
};

}  // namespace fasterbert
