#include "pipeline/heads/entities.h"

#include <stdexcept>
#include <string>
#include <utility>

namespace fasterbert {
namespace {

const text::Tokenizer& WithDecoder(const text::Tokenizer& tokenizer) {
  if (!tokenizer.decoder_error().empty()) {
    throw std::runtime_error("token classification makes its words with the tokenizer's decoder: " +
                             tokenizer.decoder_error());
  }
  return tokenizer;
}

}  // namespace

EntitiesHead::EntitiesHead(const PipelineSpec& spec, std::vector<size_t> outputs,
                           const text::Tokenizer& tokenizer)
    : Head(spec, std::move(outputs)), tokenizer_(WithDecoder(tokenizer)) {
  // HF's words: by the subword prefix when the model has one, else by spaces.
  words_.by_length = !tokenizer_.continuing_subword_prefix().empty();
  words_.join = [this](const std::vector<std::string>& tokens) {
    return tokenizer_.TokensToString(tokens);
  };
}

void EntitiesHead::StartBatch(const std::vector<TextRow>& rows, const EngineRows& /*engine_rows*/,
                              BatchResult* /*result*/) {
  rows_ = &rows;
}

void EntitiesHead::ReadCall(const EngineCallOutputs& call, BatchResult* result) {
  const engines::TensorView& view = call.View(call.layout.token_logits, "token logits");
  const int64_t labels = view.shape.back();
  for (size_t b = 0; b < call.rows.size(); ++b) {
    const EngineRow& engine_row = call.row(b);
    const float* logits = view.data + static_cast<int64_t>(b) * call.seq * labels;
    if (!AllFinite(logits, engine_row.encoding.size() * static_cast<size_t>(labels))) {
      result->FailRow(engine_row.row, kEngineStep, kNotFiniteError);
      continue;
    }
    Collect(engine_row.encoding, (*rows_)[engine_row.row].text, logits, engine_row.row, result);
  }
}

void EntitiesHead::Collect(const text::Encoding& encoding, std::string_view text,
                           const float* logits, size_t row, BatchResult* result) {
  const int64_t num_labels = spec_.engine.num_token_labels;
  pieces_.clear();
  // HF leaves out what its special_tokens_mask marks: the tokens the
  // template put around the text (not special tokens written in the text).
  const text::SpecialTemplate& specials = tokenizer_.special_template();
  const size_t before = specials.single_before.size();
  const size_t after = specials.single_after.size();
  for (size_t t = before; t + after < encoding.ids.size(); ++t) {
    const int32_t id = encoding.ids[t];
    ops::TokenPiece piece;
    piece.index = static_cast<int64_t>(t);
    piece.logits = logits + static_cast<int64_t>(t) * num_labels;
    piece.token = std::string(tokenizer_.IdToToken(id));
    piece.start_byte = encoding.offsets[t].first;
    piece.end_byte = encoding.offsets[t].second;
    piece.unknown = id == tokenizer_.unk_id();
    pieces_.push_back(std::move(piece));
  }
  const TokenClassifierSpec& classifier = spec_.token_classifier;
  const std::vector<ops::TokenEntity> entities = ops::DecodeTokenEntities(
      text, pieces_, classifier.labels, classifier.aggregation, classifier.ignore_labels, words_);
  for (size_t i : wanted_) {
    const OutputSpec& out = spec_.outputs[i];
    OutputValues& values = result->outputs[i];
    const size_t dim = static_cast<size_t>(out.dim);
    if (out.kind == OutputKind::kEntities) {
      values.bytes[row] = ops::TokenEntitiesJson(entities, classifier.aggregation);
      continue;
    }
    // Typed outputs: the first `dim` entities in text order; padding past the last.
    for (size_t k = 0; k < dim; ++k) {
      const bool padding = k >= entities.size();
      const size_t at = row * dim + k;
      switch (out.kind) {
        case OutputKind::kEntityLabelIds:
          values.int64[at] = padding ? -1 : entities[k].label_id;
          break;
        case OutputKind::kEntityStarts:
          values.int64[at] = padding ? -1 : entities[k].start_char;
          break;
        case OutputKind::kEntityEnds:
          values.int64[at] = padding ? -1 : entities[k].end_char;
          break;
        case OutputKind::kEntityScores:
          values.fp32[at] = padding ? 0.0f : entities[k].score;
          break;
        default:
          break;
      }
    }
  }
}

}  // namespace fasterbert
