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
#include "pipeline/context_windows.h"
#include "pipeline/engine_call_plan.h"
#include "pipeline/pair_rows.h"

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

constexpr char kEngineStep[] = "engine";
constexpr char kTokenizeStep[] = "tokenize";
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
      parallel_rows_(spec.tokenize_threads),
      truncation_(spec.tokenizer.truncation ? text::Truncation::kLongestFirst
                                            : text::Truncation::kDoNotTruncate),
      layout_(LayoutEngineOutputs(spec.engine)),
      max_call_rows_(static_cast<size_t>(
          limits.max_batch > 0 ? limits.max_batch : std::max(spec.max_batch_size, 0))) {
  if (!spec.engine.token_logits.empty()) {
    entities_ = std::make_unique<EntityCollector>(spec, tokenizer);
  }
}

std::string CheckTextLimits(std::string_view text, const std::string& input, const PipelineSpec& spec) {
  if (text.empty() && !spec.allow_empty_text) {
    return "input '" + input + "' holds an empty text; send at least one character";
  }
  if (text.size() > static_cast<size_t>(spec.max_text_bytes)) {
    return "input '" + input + "' holds a text of " + std::to_string(text.size()) +
           " bytes, over this model's limit of " + std::to_string(spec.max_text_bytes);
  }
  return {};
}


TextPipeline::Window& TextPipeline::NextWindow(size_t row) {
  if (window_count_ == windows_.size()) windows_.emplace_back();
  Window& window = windows_[window_count_++];
  window.row = row;
  window.first_context = 0;
  window.context_tokens = 0;
  window.encoding.Clear();
  return window;
}

void TextPipeline::EncodeText(const TextRow& texts, text::Encoding* out) const {
  if (spec_.encoding.kind == EncodingKind::kQueryPassages ||
      spec_.encoding.kind == EncodingKind::kQueryPassagePerRow) {
    EncodeQueryPassage(tokenizer_, texts.text, texts.second,
                       static_cast<size_t>(spec_.tokenizer.max_length), spec_.text_inputs.at(0),
                       spec_.text_inputs.at(1), out);
    return;
  }
  try {
    tokenizer_.Encode(texts.text, static_cast<size_t>(spec_.tokenizer.max_length), truncation_,
                      out);
  } catch (const std::exception& e) {
    throw std::runtime_error("input '" + spec_.text_inputs.at(0) + "': " + e.what());
  }
}

std::string TextPipeline::CheckRow(const TextRow& texts) const {
  std::string error = CheckTextLimits(texts.text, spec_.text_inputs.at(0), spec_);
  if (error.empty() && spec_.encoding.kind != EncodingKind::kSingleText) {
    error = CheckTextLimits(texts.second, spec_.text_inputs.at(1), spec_);
  }
  return error;
}

std::string TextPipeline::CheckEngineLength(size_t tokens) const {
  if (limits_.max_seq <= 0 || tokens <= static_cast<size_t>(limits_.max_seq)) return {};
  return "the text has " + std::to_string(tokens) + " tokens, over the " +
         std::to_string(limits_.max_seq) +
         " the engine accepts per row; lower the pipeline's maxLength to the engine's";
}

void TextPipeline::EncodeOneWindowPerRow(const std::vector<TextRow>& rows, BatchResult* result) {
  std::vector<std::string>* errors = &result->errors;
  while (windows_.size() < rows.size()) windows_.emplace_back();
  // Each row encodes into its own window (and writes only its own error), so
  // rows may run on the instance's tokenizer threads.
  auto encode = [&](size_t r) {
    Window& window = windows_[r];
    window.row = r;
    window.first_context = 0;
    window.context_tokens = 0;
    window.encoding.Clear();
    std::string error = CheckRow(rows[r]);
    if (error.empty()) {
      // Each row's own failure, whatever was thrown: the batch goes on.
      try {
        EncodeText(rows[r], &window.encoding);
        error = CheckEngineLength(window.encoding.size());
      } catch (const std::bad_alloc&) {
        error = "out of memory while tokenizing";
        result->failed_step[r] = kTokenizeStep;
      } catch (const std::exception& e) {
        error = e.what();
      } catch (...) {
        error = "unknown exception while tokenizing";
        result->failed_step[r] = kTokenizeStep;
      }
    }
    (*errors)[r] = std::move(error);
  };
  if (TokenizesInParallel(rows)) {
    parallel_rows_.Run(rows.size(), encode);
  } else {
    for (size_t r = 0; r < rows.size(); ++r) encode(r);
  }
  // The good rows' windows to the front, in row order.
  window_count_ = 0;
  for (size_t r = 0; r < rows.size(); ++r) {
    if (!(*errors)[r].empty()) continue;
    if (window_count_ != r) std::swap(windows_[window_count_], windows_[r]);
    ++window_count_;
  }
}

void TextPipeline::EncodeWindowsInOrder(const std::vector<TextRow>& rows, BatchResult* result) {
  std::vector<std::string>* errors = &result->errors;
  window_count_ = 0;
  for (size_t r = 0; r < rows.size(); ++r) {
    std::string error = CheckRow(rows[r]);
    const size_t first_window = window_count_;
    if (error.empty()) {
      try {
        EncodeQuestionContext(r, rows[r].text, rows[r].second);
        for (size_t w = first_window; w < window_count_ && error.empty(); ++w) {
          error = CheckEngineLength(windows_[w].encoding.size());
        }
      } catch (const std::bad_alloc&) {
        error = "out of memory while tokenizing";
        result->failed_step[r] = kTokenizeStep;
      } catch (const std::exception& e) {
        error = e.what();
      } catch (...) {
        error = "unknown exception while tokenizing";
        result->failed_step[r] = kTokenizeStep;
      }
    }
    if (!error.empty()) window_count_ = first_window;
    (*errors)[r] = std::move(error);
  }
}

void TextPipeline::EncodeQuestionContext(size_t row, std::string_view question,
                                         std::string_view context) {
  const std::string& question_input = spec_.text_inputs.at(0);
  const std::string& context_input = spec_.text_inputs.at(1);
  auto encode_whole = [&](std::string_view text, const std::string& input, text::Encoding* out) {
    try {
      tokenizer_.Encode(text, text::BertTokenizer::kNoMaxLength,
                        text::Truncation::kDoNotTruncate, out);
    } catch (const std::exception& e) {
      throw std::runtime_error("input '" + input + "': " + e.what());
    }
  };
  encode_whole(question, question_input, &question_);
  encode_whole(context, context_input, &context_);
  // Both came back as [CLS] tokens [SEP]; the windows take the tokens only.
  const size_t q = question_.size() - 2;
  const size_t c = context_.size() - 2;
  const size_t max_length = static_cast<size_t>(spec_.tokenizer.max_length);
  if (q + 3 >= max_length) {
    throw std::runtime_error("input '" + question_input + "' has " + std::to_string(q) +
                             " tokens: with [CLS] and two [SEP] that leaves no room for the "
                             "context within this model's maxLength " +
                             std::to_string(max_length) + "; send a shorter question");
  }
  const size_t room = max_length - q - 3;  // context tokens per window
  const size_t stride = static_cast<size_t>(spec_.encoding.doc_stride);
  if (stride >= room) {
    throw std::runtime_error("input '" + question_input + "' has " + std::to_string(q) +
                             " tokens, which leaves context windows of " + std::to_string(room) +
                             " tokens, not more than the docStride of " + std::to_string(stride) +
                             "; send a shorter question");
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
    Window& window = NextWindow(row);
    window.first_context = EncodeContextWindow(question_, context_, range, tokenizer_.cls_id(),
                                               tokenizer_.sep_id(), &window.encoding);
    window.context_tokens = range.end - range.begin;
  }
}

bool TextPipeline::TokenizesInParallel(const std::vector<TextRow>& rows) const {
  if (parallel_rows_.threads() == 1 || spec_.encoding.kind == EncodingKind::kQuestionContext) {
    return false;
  }
  // Waking threads costs tens of microseconds: on the H100 host 16 long
  // texts (15 KB) or 64 short ones (4 KB) tokenize no faster on 4 threads,
  // 64 long ones (62 KB) do 1.8x (bench/reports/2026-11-23-h100.md).
  constexpr size_t kParallelBytes = 32 * 1024;
  size_t bytes = 0;
  for (const TextRow& row : rows) bytes += row.text.size() + row.second.size();
  return bytes >= kParallelBytes;
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
  if (spec_.encoding.kind == EncodingKind::kQuestionContext) {
    EncodeWindowsInOrder(rows, result);
  } else {
    EncodeOneWindowPerRow(rows, result);
  }
  for (size_t w = 0; w < window_count_; ++w) {
    const Window& window = windows_[w];
    // A row's first window carries its token count.
    if (w > 0 && windows_[w - 1].row == window.row) continue;
    for (size_t i = 0; i < n_outputs; ++i) {
      if (wanted_[i] && spec_.outputs[i].kind == OutputKind::kTokenCount) {
        result->outputs[i].int64[window.row] = static_cast<int64_t>(window.encoding.size());
      }
    }
  }
  result->tokenized_at = std::chrono::steady_clock::now();
  result->engine_calls = 0;
  if (window_count_ == 0 || !needs_engine) {  // no good row, or nothing for the engine
    TrimScratch();
    return;
  }

  start_logits_.clear();
  end_logits_.clear();
  logits_offset_.assign(window_count_, 0);
  window_lengths_.clear();
  for (size_t w = 0; w < window_count_; ++w) window_lengths_.push_back(windows_[w].encoding.size());
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
    FailRow(windows_[windows[0]].row, kEngineStep, failure, result);
    return;
  }
  // Halves until the rows that fail are alone: one request's row that the
  // engine cannot take does not fail its neighbours (at most 2n - 1 calls).
  const auto middle = windows.begin() + static_cast<std::ptrdiff_t>(windows.size() / 2);
  RunEngineRows(std::vector<size_t>(windows.begin(), middle), result);
  RunEngineRows(std::vector<size_t>(middle, windows.end()), result);
}

void TextPipeline::FailRow(size_t row, const char* step, std::string message,
                           BatchResult* result) const {
  if (!result->errors[row].empty()) return;  // the first failure stands
  result->errors[row] = std::move(message);
  result->failed_step[row] = step;
}

void TextPipeline::TrimScratch() {
  // A full ordinary batch: max_batch_size rows (or 64) of maxLength tokens.
  const size_t rows = std::max<size_t>(64, static_cast<size_t>(std::max(spec_.max_batch_size, 0)));
  const size_t tokens = rows * static_cast<size_t>(std::max(spec_.tokenizer.max_length, 1));
  bool trimmed = false;
  auto trim = [&](auto& scratch, size_t keep) {
    if (scratch.capacity() <= keep) return;
    std::remove_reference_t<decltype(scratch)>().swap(scratch);
    trimmed = true;
  };
  if (windows_.size() > rows) {
    windows_.clear();
    windows_.shrink_to_fit();
    trimmed = true;
  }
  for (Window& window : windows_) {
    const size_t per_row = static_cast<size_t>(std::max(spec_.tokenizer.max_length, 1));
    trim(window.encoding.ids, per_row);
    trim(window.encoding.type_ids, per_row);
    trim(window.encoding.attention_mask, per_row);
    trim(window.encoding.offsets, per_row);
  }
  for (text::Encoding* whole : {&question_, &context_}) {
    trim(whole->ids, tokens);
    trim(whole->type_ids, tokens);
    trim(whole->attention_mask, tokens);
    trim(whole->offsets, tokens);
  }
  trim(input_ids_, tokens);
  trim(attention_mask_, tokens);
  trim(token_type_ids_, tokens);
  trim(start_logits_, tokens);
  trim(end_logits_, tokens);
  trim(logits_offset_, rows);
  trim(window_lengths_, rows);
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
  for (size_t w : windows) longest = std::max(longest, windows_[w].encoding.size());
  packed_seq_ = static_cast<int64_t>(longest);
  const size_t total = windows.size() * longest;
  input_ids_.assign(total, tokenizer_.pad_id());
  attention_mask_.assign(total, 0);
  token_type_ids_.assign(total, 0);
  for (size_t i = 0; i < windows.size(); ++i) {
    const text::Encoding& enc = windows_[windows[i]].encoding;
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
          const size_t row = windows_[windows[b]].row;
          if (!AllFinite(embedding, dim)) FailRow(row, kEngineStep, kNotFinite, result);
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
          const size_t row = windows_[windows[b]].row;
          if (!AllFinite(logits, static_cast<size_t>(labels))) {
            FailRow(row, kEngineStep, kNotFinite, result);
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
          const size_t row = windows_[windows[b]].row;
          if (!AllFinite(view.data + b * labels, static_cast<size_t>(labels))) {
            FailRow(row, kEngineStep, kNotFinite, result);
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
      const Window& window = windows_[windows[b]];
      const float* logits = view.data + b * packed_seq_ * labels;
      if (!AllFinite(logits, window.encoding.size() * static_cast<size_t>(labels))) {
        FailRow(window.row, kEngineStep, kNotFinite, result);
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
      const size_t row = windows_[windows[b]].row;
      if (!AllFinite(view.data + b * labels, static_cast<size_t>(labels))) {
        FailRow(row, kEngineStep, kNotFinite, result);
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
    const size_t length = windows_[w].encoding.size();
    logits_offset_[w] = start_logits_.size();
    const float* start = starts.data + b * packed_seq_;
    const float* end = ends.data + b * packed_seq_;
    if (!AllFinite(start, length) || !AllFinite(end, length)) {
      FailRow(windows_[w].row, kEngineStep, kNotFinite, result);
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
  for (size_t w = 0; w < window_count_;) {
    const size_t r = windows_[w].row;
    row_windows.clear();
    for (; w < window_count_ && windows_[w].row == r; ++w) {
      const Window& window = windows_[w];
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
