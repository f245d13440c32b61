// EncodingKind::kQuestionContext (extractive QA): the tokenizer's pair
// template around the question and a context window ([CLS] question [SEP]
// window [SEP] for BERT, <s> question </s></s> window </s> for XLM-R). A context longer than one engine row is cut into
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

  std::vector<text::Token> question_, context_;  // Tokenize's tokens, scratch
  std::vector<uint32_t> context_words_;          // TokenizeWords' words of context_, scratch
};

}  // namespace fasterbert
