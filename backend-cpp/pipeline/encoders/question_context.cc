#include "pipeline/encoders/question_context.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "pipeline/encoders/context_windows.h"

namespace fasterbert {

QuestionContextEncoder::QuestionContextEncoder(const PipelineSpec& spec,
                                               const text::Tokenizer& tokenizer,
                                               const engines::ShapeLimits& limits)
    : Encoder(spec, tokenizer, limits) {}

void QuestionContextEncoder::Encode(const std::vector<TextRow>& rows, EngineRows* out,
                                    BatchResult* result) {
  out->count = 0;
  for (size_t r = 0; r < rows.size(); ++r) {
    std::string error = CheckRow(rows[r]);
    const size_t first_window = out->count;
    if (error.empty()) {
      error = Guarded(r, [&] {
        EncodeWindows(r, rows[r].text, rows[r].second, out);
        for (size_t w = first_window; w < out->count; ++w) {
          std::string too_long = CheckEngineLength(out->rows[w].encoding.size());
          if (!too_long.empty()) return too_long;
        }
        return std::string();
      }, result);
    }
    if (!error.empty()) out->count = first_window;  // a bad row leaves no windows
    result->errors[r] = std::move(error);
  }
}

void QuestionContextEncoder::EncodeWindows(size_t row, std::string_view question,
                                           std::string_view context, EngineRows* out) {
  const std::string& question_input = spec_.text_inputs.at(0);
  const std::string& context_input = spec_.text_inputs.at(1);
  // The context's words only when answers are widened to them.
  const bool words = spec_.answer_decoder.align_to_words;
  auto tokenize = [&](std::string_view text, const std::string& input,
                      std::vector<text::Token>* tokens, std::vector<uint32_t>* token_words) {
    try {
      if (token_words != nullptr) {
        tokenizer_.TokenizeWords(text, tokens, token_words);
      } else {
        tokenizer_.Tokenize(text, tokens);
      }
    } catch (const std::exception& e) {
      throw std::runtime_error("input '" + input + "': " + e.what());
    }
  };
  tokenize(question, question_input, &question_, nullptr);
  tokenize(context, context_input, &context_, words ? &context_words_ : nullptr);
  const size_t q = question_.size();
  const size_t c = context_.size();
  // The pair template's special tokens ([CLS] and two [SEP] for BERT,
  // <s> and three </s> for XLM-R) take their room in every window.
  const text::SpecialTemplate& specials = tokenizer_.special_template();
  const size_t added = specials.pair_before.size() + specials.pair_between.size() +
                       specials.pair_after.size();
  const size_t max_length = static_cast<size_t>(spec_.tokenizer.max_length);
  if (q + added >= max_length) {
    throw std::runtime_error("input '" + question_input + "' has " + std::to_string(q) +
                             " tokens: with the " + std::to_string(added) +
                             " special tokens of a pair that leaves no room for the "
                             "context within this model's maxLength " +
                             std::to_string(max_length) + "; send a shorter question");
  }
  const size_t room = max_length - q - added;  // context tokens per window
  const size_t stride = static_cast<size_t>(spec_.encoding.doc_stride);
  // Windows that share docStride tokens must be longer than it; a context
  // that fits in one window is not cut (HF tokenizers errs the same way:
  // only when it has to truncate).
  if (c > room && stride >= room) {
    throw std::runtime_error("input '" + question_input + "' has " + std::to_string(q) +
                             " tokens, which leaves context windows of " + std::to_string(room) +
                             " tokens, not more than the docStride of " + std::to_string(stride) +
                             ", and the context's " + std::to_string(c) +
                             " tokens do not fit in one; send a shorter question");
  }
  const std::vector<ContextRange> ranges = ContextWindowRanges(c, room, stride);
  const size_t max_windows = static_cast<size_t>(std::max(spec_.encoding.max_windows, 1));
  if (ranges.size() > max_windows) {
    throw std::runtime_error("input '" + context_input + "' has " + std::to_string(c) +
                             " tokens, which make " + std::to_string(ranges.size()) +
                             " windows of " + std::to_string(room) +
                             " context tokens, over this model's limit of " +
                             std::to_string(max_windows) +
                             " (maxWindows); send a shorter context");
  }
  for (const ContextRange range : ranges) {
    EngineRow& window = out->Add(row);
    window.first_context =
        EncodeContextWindow(question_, context_, range, specials, &window.encoding,
                            words ? &context_words_ : nullptr);
    window.context_tokens = range.end - range.begin;
  }
}

bool QuestionContextEncoder::TrimScratch(const ScratchBudget& budget) {
  bool trimmed = TrimScratchTo(question_, budget.tokens);
  trimmed = TrimScratchTo(context_, budget.tokens) || trimmed;
  trimmed = TrimScratchTo(context_words_, budget.tokens) || trimmed;
  return trimmed;
}

}  // namespace fasterbert
