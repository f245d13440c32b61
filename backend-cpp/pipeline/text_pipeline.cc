#include "pipeline/text_pipeline.h"

#include <algorithm>
#include <cmath>
#include <new>
#include <optional>
#include <stdexcept>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "ops/activation.h"
#include "ops/answer_spans.h"
#include "ops/normalize.h"
#include "ops/pooling.h"
#include "ops/rank.h"
#include "ops/top_k.h"
#include "pipeline/engine_call_plan.h"
#include "pipeline/scratch.h"

namespace fasterbert {
namespace {

bool IsAnswerOutput(OutputKind kind) {
  return kind == OutputKind::kAnswerText || kind == OutputKind::kAnswerScore ||
         kind == OutputKind::kAnswerStart || kind == OutputKind::kAnswerEnd;
}

void ApplyActivation(Activation activation, const float* logits, int64_t n, float* out) {
  switch (activation) {
    case Activation::kNone:
      std::copy_n(logits, n, out);
      break;
    case Activation::kSoftmax:
      ops::Softmax(logits, n, out);
      break;
    case Activation::kSigmoid:
      ops::Sigmoid(logits, n, out);
      break;
  }
}

// Code points before `byte` in valid UTF-8: the character offset clients
// (Python, JavaScript) index strings by.
int64_t CharOffset(std::string_view text, size_t byte) {
  int64_t chars = 0;
  for (size_t i = 0; i < byte && i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++chars;
  }
  return chars;
}

bool AllFinite(const float* values, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (!std::isfinite(values[i])) return false;
  }
  return true;
}

const char kNotFinite[] =
    "the engine returned NaN or Inf for this row (a reduced-precision overflow?)";

const engines::TensorView& ViewAt(const std::vector<engines::TensorView>& views, int at,
                                  const char* role) {
  if (at < 0 || static_cast<size_t>(at) >= views.size()) {
    throw std::runtime_error(std::string("the engine was opened without its ") + role + " output");
  }
  return views[static_cast<size_t>(at)];
}

}  // namespace

TextPipeline::TextPipeline(const PipelineSpec& spec, const text::BertTokenizer& tokenizer,
                           std::unique_ptr<engines::EngineSession> session,
                           const engines::ShapeLimits& limits)
    : spec_(spec),
      tokenizer_(tokenizer),
      session_(std::move(session)),
      limits_(limits),
      encoder_(MakeEncoder(spec, tokenizer, limits)),
      layout_(LayoutEngineOutputs(spec.engine)),
      max_call_rows_(static_cast<size_t>(
          limits.max_batch > 0 ? limits.max_batch : std::max(spec.max_batch_size, 0))) {
  if (!spec.engine.token_logits.empty()) {
    entities_ = std::make_unique<EntityCollector>(spec, tokenizer);
  }
}

void TextPipeline::Run(const std::vector<TextRow>& rows, const std::vector<bool>& wanted,
                       BatchResult* result) {
  const size_t n_outputs = spec_.outputs.size();
  wanted_.assign(n_outputs, true);
  for (size_t i = 0; i < n_outputs && i < wanted.size(); ++i) wanted_[i] = wanted[i];
  result->errors.assign(rows.size(), std::string());
  result->failed_step.assign(rows.size(), nullptr);
  result->outputs.resize(n_outputs);
  wants_answers_ = false;
  wants_entities_ = false;
  rows_ = &rows;
  wants_pair_scores_ = false;
  result->pair_scores.clear();
  bool needs_engine = false;
  for (size_t i = 0; i < n_outputs; ++i) {
    OutputValues& values = result->outputs[i];
    values.fp32.clear();
    values.int64.clear();
    values.bytes.clear();
    if (!wanted_[i]) continue;
    const OutputSpec& out = spec_.outputs[i];
    if (out.kind == OutputKind::kRerankScores || out.kind == OutputKind::kRerankTopIndices) {
      // Per request, not per row: made from pair_scores by the caller.
      wants_pair_scores_ = needs_engine = true;
      continue;
    }
    const size_t size = rows.size() * static_cast<size_t>(out.dim);
    switch (OutputDataType(out.kind)) {
      case DataType::kFp32:
        values.fp32.assign(size, 0.0f);
        break;
      case DataType::kInt64:
        values.int64.assign(size, 0);
        break;
      case DataType::kBytes:
        values.bytes.assign(size, std::string());
        break;
    }
    wants_answers_ = wants_answers_ || IsAnswerOutput(out.kind);
    wants_entities_ = wants_entities_ || IsEntityOutput(out.kind);
    needs_engine = needs_engine || out.kind != OutputKind::kTokenCount;
  }

  if (wants_pair_scores_) result->pair_scores.assign(rows.size(), 0.0f);
  encoder_->Encode(rows, &engine_rows_, result);
  for (size_t w = 0; w < engine_rows_.count; ++w) {
    const EngineRow& window = engine_rows_.rows[w];
    // A row's first window carries its token count.
    if (w > 0 && engine_rows_.rows[w - 1].row == window.row) continue;
    for (size_t i = 0; i < n_outputs; ++i) {
      if (wanted_[i] && spec_.outputs[i].kind == OutputKind::kTokenCount) {
        result->outputs[i].int64[window.row] = static_cast<int64_t>(window.encoding.size());
      }
    }
  }
  result->tokenized_at = std::chrono::steady_clock::now();
  result->engine_calls = 0;
  if (engine_rows_.count == 0 || !needs_engine) {  // no good row, or nothing for the engine
    TrimScratch();
    return;
  }

  start_logits_.clear();
  end_logits_.clear();
  logits_offset_.assign(engine_rows_.count, 0);
  window_lengths_.clear();
  for (size_t w = 0; w < engine_rows_.count; ++w) window_lengths_.push_back(engine_rows_.rows[w].encoding.size());
  for (const EngineCall& call :
       PlanEngineCalls(window_lengths_, static_cast<size_t>(spec_.max_batch_tokens),
                       max_call_rows_)) {
    RunEngineRows(call.rows, result);
  }
  if (wants_answers_) DecodeAnswers(rows, result);
  TrimScratch();
}

void TextPipeline::RunEngineRows(const std::vector<size_t>& windows, BatchResult* result) {
  ++result->engine_calls;
  std::string failure;
  try {
    RunEngineCall(windows, result);
    return;
  } catch (const std::exception& e) {
    failure = e.what();
  } catch (...) {
    failure = "unknown exception";
  }
  if (windows.size() == 1) {
    result->FailRow(engine_rows_[windows[0]].row, kEngineStep, failure);
    return;
  }
  // Halves until the rows that fail are alone: one request's row that the
  // engine cannot take does not fail its neighbours (at most 2n - 1 calls).
  const auto middle = windows.begin() + static_cast<std::ptrdiff_t>(windows.size() / 2);
  RunEngineRows(std::vector<size_t>(windows.begin(), middle), result);
  RunEngineRows(std::vector<size_t>(middle, windows.end()), result);
}

void TextPipeline::TrimScratch() {
  const ScratchBudget budget = ScratchBudget::Of(spec_);
  bool trimmed = false;
  std::vector<EngineRow>& engine_rows = engine_rows_.rows;
  if (engine_rows.size() > budget.rows) {
    engine_rows.clear();
    engine_rows.shrink_to_fit();
    trimmed = true;
  }
  for (EngineRow& engine_row : engine_rows) {
    trimmed = TrimEncoding(engine_row.encoding, budget.row_tokens) || trimmed;
  }
  trimmed = encoder_->TrimScratch(budget) || trimmed;
  trimmed = TrimScratchTo(input_ids_, budget.tokens) || trimmed;
  trimmed = TrimScratchTo(attention_mask_, budget.tokens) || trimmed;
  trimmed = TrimScratchTo(token_type_ids_, budget.tokens) || trimmed;
  trimmed = TrimScratchTo(start_logits_, budget.tokens) || trimmed;
  trimmed = TrimScratchTo(end_logits_, budget.tokens) || trimmed;
  trimmed = TrimScratchTo(logits_offset_, budget.rows) || trimmed;
  trimmed = TrimScratchTo(window_lengths_, budget.rows) || trimmed;
#if defined(__GLIBC__)
  // Freed blocks stay in the allocator's arenas otherwise; give them to the OS.
  if (trimmed) malloc_trim(0);
#endif
}

void TextPipeline::RunEngineCall(const std::vector<size_t>& windows, BatchResult* result) {
  Pack(windows);
  engines::EncodedBatch batch;
  batch.batch = static_cast<int64_t>(windows.size());
  batch.seq = packed_seq_;
  batch.input_ids = input_ids_.data();
  batch.attention_mask = attention_mask_.data();
  batch.token_type_ids = token_type_ids_.data();
  CollectOutputs(session_->Run(batch), windows, result);
}

void TextPipeline::Pack(const std::vector<size_t>& windows) {
  // Pad to the longest row of this call, not to max_length: short-text
  // batches then cost the engine only what they need.
  size_t longest = 0;
  for (size_t w : windows) longest = std::max(longest, engine_rows_.rows[w].encoding.size());
  packed_seq_ = static_cast<int64_t>(longest);
  const size_t total = windows.size() * longest;
  input_ids_.assign(total, tokenizer_.pad_id());
  attention_mask_.assign(total, 0);
  token_type_ids_.assign(total, 0);
  for (size_t i = 0; i < windows.size(); ++i) {
    const text::Encoding& enc = engine_rows_.rows[windows[i]].encoding;
    const size_t base = i * longest;
    for (size_t t = 0; t < enc.ids.size(); ++t) {
      input_ids_[base + t] = enc.ids[t];
      attention_mask_[base + t] = enc.attention_mask[t];
      token_type_ids_[base + t] = enc.type_ids[t];
    }
  }
}

const std::vector<engines::TensorView>& TextPipeline::HostViews(
    const std::vector<engines::TensorView>& views) {
  // Host engines (OpenVINO): nothing to copy, not even the views.
  if (std::none_of(views.begin(), views.end(), [](const engines::TensorView& view) {
        return view.memory == engines::Memory::kCuda;
      })) {
    return views;
  }
  host_views_ = views;
  for (size_t i = 0; i < views.size(); ++i) {
    // The token embeddings stay on the GPU: pooling runs there.
    if (views[i].memory == engines::Memory::kCuda &&
        static_cast<int>(i) != layout_.token_embeddings) {
      host_views_[i] = device_outputs_.ToHost(views[i], i, session_->cuda_stream());
    }
  }
  return host_views_;
}

void TextPipeline::CollectOutputs(const std::vector<engines::TensorView>& engine_views,
                                  const std::vector<size_t>& windows, BatchResult* result) {
  const std::vector<engines::TensorView>& views = HostViews(engine_views);
  const int64_t batch = static_cast<int64_t>(windows.size());
  const ClassifierSpec& classifier = spec_.classifier;
  for (size_t i = 0; i < spec_.outputs.size(); ++i) {
    if (!wanted_[i]) continue;
    const OutputSpec& out = spec_.outputs[i];
    OutputValues& values = result->outputs[i];
    const size_t dim = static_cast<size_t>(out.dim);
    switch (out.kind) {
      case OutputKind::kSentenceEmbedding: {
        const engines::TensorView& view =
            ViewAt(views, layout_.token_embeddings, "token embeddings");
        ops::TokenEmbeddingsView hidden{view.data, batch, packed_seq_, view.shape.back()};
        if (hidden.hidden != out.dim) {
          throw std::runtime_error("engine returned width " + std::to_string(hidden.hidden) +
                                   ", output '" + out.name + "' expects " +
                                   std::to_string(out.dim));
        }
        pooled_.resize(static_cast<size_t>(batch) * dim);
        bool pooled = false;
        if (view.memory == engines::Memory::kCuda) {
          device_outputs_.PoolToHost(view, attention_mask_.data(), batch, packed_seq_,
                                     out.post_ops, pooled_.data(), session_->cuda_stream());
          pooled = true;
        }
        static const std::vector<PostOp> kDone;  // the device ran every op
        for (PostOp op : pooled ? kDone : out.post_ops) {
          switch (op) {
            case PostOp::kMeanPool:
              ops::MeanPool(hidden, attention_mask_.data(), pooled_.data());
              pooled = true;
              break;
            case PostOp::kClsPool:
              ops::ClsPool(hidden, pooled_.data());
              pooled = true;
              break;
            case PostOp::kMaxPool:
              ops::MaxPool(hidden, attention_mask_.data(), pooled_.data());
              pooled = true;
              break;
            case PostOp::kL2Normalize:
              if (!pooled) throw std::runtime_error("normalize before pooling");
              ops::L2NormalizeRows(pooled_.data(), batch, out.dim);
              break;
          }
        }
        if (!pooled) throw std::runtime_error("output '" + out.name + "' has no pooling step");
        for (int64_t b = 0; b < batch; ++b) {
          const float* embedding = pooled_.data() + static_cast<size_t>(b) * dim;
          const size_t row = engine_rows_.rows[windows[b]].row;
          if (!AllFinite(embedding, dim)) result->FailRow(row, kEngineStep, kNotFinite);
          std::copy_n(embedding, dim, values.fp32.data() + row * dim);
        }
        break;
      }
      case OutputKind::kLogits:
      case OutputKind::kClassScores:
      case OutputKind::kTopLabels:
      case OutputKind::kTopLabelScores: {
        const engines::TensorView& view = ViewAt(views, layout_.logits, "logits");
        const int64_t labels = view.shape.back();
        scores_.resize(static_cast<size_t>(labels));
        for (int64_t b = 0; b < batch; ++b) {
          const float* logits = view.data + b * labels;
          const size_t row = engine_rows_.rows[windows[b]].row;
          if (!AllFinite(logits, static_cast<size_t>(labels))) {
            result->FailRow(row, kEngineStep, kNotFinite);
            continue;
          }
          if (out.kind == OutputKind::kLogits) {
            std::copy_n(logits, labels, values.fp32.data() + row * dim);
            continue;
          }
          ApplyActivation(classifier.activation, logits, labels, scores_.data());
          if (out.kind == OutputKind::kClassScores) {
            std::copy_n(scores_.data(), labels, values.fp32.data() + row * dim);
            continue;
          }
          const std::vector<int64_t> top =
              ops::TopK(scores_.data(), labels, out.dim,
                        classifier.has_threshold ? std::optional<float>(classifier.threshold)
                                                 : std::nullopt);
          for (size_t k = 0; k < top.size(); ++k) {
            const size_t label = static_cast<size_t>(top[k]);
            if (out.kind == OutputKind::kTopLabels) {
              values.bytes[row * dim + k] = label < classifier.labels.size()
                                                ? classifier.labels[label]
                                                : std::to_string(label);
            } else {
              values.fp32[row * dim + k] = scores_[label];
            }
          }
        }
        break;
      }
      case OutputKind::kPairScore: {
        const engines::TensorView& view = ViewAt(views, layout_.logits, "logits");
        const int64_t labels = view.shape.back();
        for (int64_t b = 0; b < batch; ++b) {
          const size_t row = engine_rows_.rows[windows[b]].row;
          if (!AllFinite(view.data + b * labels, static_cast<size_t>(labels))) {
            result->FailRow(row, kEngineStep, kNotFinite);
          }
          values.fp32[row] = ops::PairScore(spec_.reranker.activation, view.data + b * labels, labels);
        }
        break;
      }
      case OutputKind::kRerankScores:
      case OutputKind::kRerankTopIndices:
        break;  // below, once for both
      case OutputKind::kEntities:
      case OutputKind::kEntityLabelIds:
      case OutputKind::kEntityStarts:
      case OutputKind::kEntityEnds:
      case OutputKind::kEntityScores:
        break;  // below, once per row for all of them
      case OutputKind::kTokenCount:
      case OutputKind::kAnswerText:
      case OutputKind::kAnswerScore:
      case OutputKind::kAnswerStart:
      case OutputKind::kAnswerEnd:
        break;  // from the encodings, or decoded once every window has run
    }
  }
  if (wants_entities_) {
    const engines::TensorView& view = ViewAt(views, layout_.token_logits, "token logits");
    const int64_t labels = view.shape.back();
    for (int64_t b = 0; b < batch; ++b) {
      const EngineRow& window = engine_rows_.rows[windows[b]];
      const float* logits = view.data + b * packed_seq_ * labels;
      if (!AllFinite(logits, window.encoding.size() * static_cast<size_t>(labels))) {
        result->FailRow(window.row, kEngineStep, kNotFinite);
        continue;
      }
      entities_->Collect(window.encoding, (*rows_)[window.row].text, logits, window.row, wanted_,
                         &result->outputs);
    }
  }
  if (wants_pair_scores_) {
    const engines::TensorView& view = ViewAt(views, layout_.logits, "logits");
    const int64_t labels = view.shape.back();
    for (int64_t b = 0; b < batch; ++b) {
      const size_t row = engine_rows_.rows[windows[b]].row;
      if (!AllFinite(view.data + b * labels, static_cast<size_t>(labels))) {
        result->FailRow(row, kEngineStep, kNotFinite);
      }
      result->pair_scores[row] = ops::PairScore(spec_.reranker.activation, view.data + b * labels, labels);
    }
  }
  if (!wants_answers_) return;
  // Keep each window's logits: a row's windows may span several engine calls.
  const engines::TensorView& starts = ViewAt(views, layout_.start_logits, "start logits");
  const engines::TensorView& ends = ViewAt(views, layout_.end_logits, "end logits");
  for (int64_t b = 0; b < batch; ++b) {
    const size_t w = windows[b];
    const size_t length = engine_rows_.rows[w].encoding.size();
    logits_offset_[w] = start_logits_.size();
    const float* start = starts.data + b * packed_seq_;
    const float* end = ends.data + b * packed_seq_;
    if (!AllFinite(start, length) || !AllFinite(end, length)) {
      result->FailRow(engine_rows_[w].row, kEngineStep, kNotFinite);
    }
    start_logits_.insert(start_logits_.end(), start, start + length);
    end_logits_.insert(end_logits_.end(), end, end + length);
  }
}

void TextPipeline::DecodeAnswers(const std::vector<TextRow>& rows, BatchResult* result) {
  const AnswerDecoderSpec& decoder = spec_.answer_decoder;
  const ops::AnswerDecodeOptions options{decoder.n_best, decoder.max_answer_length,
                                         decoder.null_answer};
  std::vector<ops::AnswerWindow> row_windows;
  // Windows were made row by row: each row's are consecutive.
  for (size_t w = 0; w < engine_rows_.count;) {
    const size_t r = engine_rows_.rows[w].row;
    row_windows.clear();
    for (; w < engine_rows_.count && engine_rows_.rows[w].row == r; ++w) {
      const EngineRow& window = engine_rows_.rows[w];
      row_windows.push_back({start_logits_.data() + logits_offset_[w],
                             end_logits_.data() + logits_offset_[w], window.first_context,
                             window.context_tokens, window.encoding.offsets.data()});
    }
    if (!result->errors[r].empty()) continue;  // an engine call of its windows failed
    const std::vector<ops::AnswerSpan> spans = ops::DecodeAnswerSpans(row_windows, options);
    const std::string_view context = rows[r].second;
    for (size_t i = 0; i < spec_.outputs.size(); ++i) {
      if (!wanted_[i] || !IsAnswerOutput(spec_.outputs[i].kind)) continue;
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

}  // namespace fasterbert
