#include "pipeline/heads/answers.h"

#include <string>
#include <string_view>

#include "ops/answer_spans.h"
#include "text/unicode_properties.h"
#include "text/utf8.h"

namespace fasterbert {
namespace {

// Code points before `byte` in valid UTF-8: the character offset clients
// (Python, JavaScript) index strings by.
int64_t CharOffset(std::string_view text, size_t byte) {
  int64_t chars = 0;
  for (size_t i = 0; i < byte && i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++chars;
  }
  return chars;
}

// The answer's text lowercased code point by code point: HF's pipeline
// merges answers whose texts are equal after Python's str.lower(). A byte
// that starts no whole character (a span cut inside one) is kept as it is.
std::string CaselessText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  char32_t lower[text::kMaxLowercaseLength];
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  for (size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    const int length = text::DecodeUtf8Checked(bytes + i, text.size() - i, &cp);
    if (length == 0) {
      out.push_back(text[i++]);
      continue;
    }
    i += static_cast<size_t>(length);
    const int n = text::Lowercase(cp, lower);
    for (int k = 0; k < n; ++k) text::AppendUtf8(lower[k], &out);
  }
  return out;
}

}  // namespace

void AnswersHead::StartBatch(const std::vector<TextRow>& /*rows*/, const EngineRows& engine_rows,
                             BatchResult* /*result*/) {
  start_logits_.clear();
  end_logits_.clear();
  logits_offset_.assign(engine_rows.count, 0);
}

void AnswersHead::ReadCall(const EngineCallOutputs& call, BatchResult* result) {
  const engines::TensorView& starts = call.View(call.layout.start_logits, "start logits");
  const engines::TensorView& ends = call.View(call.layout.end_logits, "end logits");
  for (size_t b = 0; b < call.rows.size(); ++b) {
    const EngineRow& window = call.row(b);
    const size_t length = window.encoding.size();
    logits_offset_[call.rows[b]] = start_logits_.size();
    const float* start = starts.data + static_cast<int64_t>(b) * call.seq;
    const float* end = ends.data + static_cast<int64_t>(b) * call.seq;
    if (!AllFinite(start, length) || !AllFinite(end, length)) {
      result->FailRow(window.row, kEngineStep, kNotFiniteError);
    }
    start_logits_.insert(start_logits_.end(), start, start + length);
    end_logits_.insert(end_logits_.end(), end, end + length);
  }
}

void AnswersHead::Finish(const std::vector<TextRow>& rows, const EngineRows& engine_rows,
                         BatchResult* result) {
  const AnswerDecoderSpec& decoder = spec_.answer_decoder;
  const ops::AnswerDecodeOptions options{decoder.n_best, decoder.max_answer_length,
                                         decoder.null_answer, decoder.align_to_words};
  std::vector<ops::AnswerWindow> row_windows;
  // Windows were made row by row: each row's are consecutive.
  for (size_t w = 0; w < engine_rows.count;) {
    const size_t r = engine_rows[w].row;
    row_windows.clear();
    for (; w < engine_rows.count && engine_rows[w].row == r; ++w) {
      const EngineRow& window = engine_rows[w];
      row_windows.push_back({start_logits_.data() + logits_offset_[w],
                             end_logits_.data() + logits_offset_[w], window.first_context,
                             window.context_tokens, window.encoding.offsets.data(),
                             window.encoding.words.empty() ? nullptr
                                                           : window.encoding.words.data()});
    }
    if (!result->errors[r].empty()) continue;  // an engine call of its windows failed
    const std::string_view context = rows[r].second;
    const std::vector<ops::AnswerSpan> spans = ops::DecodeAnswerSpans(
        row_windows, options, [context](uint32_t start, uint32_t end) {
          return CaselessText(context.substr(start, end - start));
        });
    for (size_t i : wanted_) {
      const OutputSpec& out = spec_.outputs[i];
      OutputValues& values = result->outputs[i];
      const size_t dim = static_cast<size_t>(out.dim);
      for (size_t k = 0; k < dim; ++k) {
        const size_t at = r * dim + k;
        const bool padding = k >= spans.size();
        const ops::AnswerSpan span = padding ? ops::AnswerSpan{} : spans[k];
        switch (out.kind) {
          case OutputKind::kAnswerText:
            values.bytes[at] = padding || span.is_null
                                   ? std::string()
                                   : std::string(context.substr(span.start_byte,
                                                                span.end_byte - span.start_byte));
            break;
          case OutputKind::kAnswerScore:
            values.fp32[at] = static_cast<float>(span.score);
            break;
          case OutputKind::kAnswerStart:
            values.int64[at] = padding ? -1 : CharOffset(context, span.start_byte);
            break;
          case OutputKind::kAnswerEnd:
            values.int64[at] = padding ? -1 : CharOffset(context, span.end_byte);
            break;
          default:
            break;
        }
      }
    }
  }
}

bool AnswersHead::TrimScratch(const ScratchBudget& budget) {
  bool trimmed = TrimScratchTo(start_logits_, budget.tokens);
  trimmed = TrimScratchTo(end_logits_, budget.tokens) || trimmed;
  trimmed = TrimScratchTo(logits_offset_, budget.rows) || trimmed;
  return trimmed;
}

}  // namespace fasterbert
