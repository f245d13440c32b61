#include "pipeline/encoders/encoder.h"

#include "pipeline/encoders/query_passages.h"
#include "pipeline/encoders/question_context.h"
#include "pipeline/encoders/single_text.h"
#include "pipeline/encoders/text_limits.h"

namespace fasterbert {

Encoder::Encoder(const PipelineSpec& spec, const text::Tokenizer& tokenizer,
                 const engines::ShapeLimits& limits)
    : spec_(spec), tokenizer_(tokenizer), limits_(limits) {}

std::string Encoder::CheckRow(const TextRow& row) const {
  std::string error = CheckTextLimits(row.text, spec_.text_inputs.at(0), spec_);
  if (error.empty() && spec_.encoding.kind != EncodingKind::kSingleText) {
    error = CheckTextLimits(row.second, spec_.text_inputs.at(1), spec_);
  }
  return error;
}

std::string Encoder::CheckEngineLength(size_t tokens) const {
  if (limits_.max_seq <= 0 || tokens <= static_cast<size_t>(limits_.max_seq)) return {};
  return "the text has " + std::to_string(tokens) + " tokens, over the " +
         std::to_string(limits_.max_seq) +
         " the engine accepts per row; lower the pipeline's maxLength to the engine's";
}

std::unique_ptr<Encoder> MakeEncoder(const PipelineSpec& spec, const text::Tokenizer& tokenizer,
                                     const engines::ShapeLimits& limits) {
  switch (spec.encoding.kind) {
    case EncodingKind::kSingleText:
      return std::make_unique<SingleTextEncoder>(spec, tokenizer, limits);
    case EncodingKind::kQuestionContext:
      return std::make_unique<QuestionContextEncoder>(spec, tokenizer, limits);
    case EncodingKind::kQueryPassages:
    case EncodingKind::kQueryPassagePerRow:
      return std::make_unique<QueryPassagesEncoder>(spec, tokenizer, limits);
  }
  throw std::runtime_error("unknown encoding kind");
}

}  // namespace fasterbert
