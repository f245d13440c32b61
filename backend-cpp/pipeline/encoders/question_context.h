// EncodingKind::kQuestionContext (extractive QA): [CLS] question [SEP]
// context window [SEP]. A context longer than one engine row is cut into
// windows of maxLength tokens sharing docStride tokens
// (encoders/context_windows.h), at most maxWindows per row: one text row
// makes one or more consecutive engine rows.
#pragma once

#include <string_view>
#include <vector>

#include "pipeline/encoders/encoder.h"

namespace fasterbert {

class QuestionContextEncoder final : public Encoder {
 public:
  QuestionContextEncoder(const PipelineSpec& spec, const text::Tokenizer& tokenizer,
                         const engines::ShapeLimits& limits);

  // Row by row on the calling thread: a row's window count is known only
  // once it is tokenized.
  void Encode(const std::vector<TextRow>& rows, EngineRows* out, BatchResult* result) override;
  bool TrimScratch(const ScratchBudget& budget) override;

 private:
  // Appends row `row`'s windows to *out; throws std::runtime_error naming the
  // input at fault.
  void EncodeWindows(size_t row, std::string_view question, std::string_view context,
                     EngineRows* out);

  // The windows are WordPiece's [CLS] question [SEP] context [SEP]: codegen
  // only builds QA with a BERT tokenizer, and the constructor refuses any other.
  const text::BertTokenizer& bert_;
  text::Encoding question_, context_;  // whole encodings, scratch
};

}  // namespace fasterbert
