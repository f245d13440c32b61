#include "pipeline/text_pipeline.h"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <string>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "pipeline/engine_call_plan.h"
#include "pipeline/heads/heads.h"
#include "pipeline/scratch.h"

namespace fasterbert {

TextPipeline::TextPipeline(const PipelineSpec& spec, const text::Tokenizer& tokenizer,
                           std::unique_ptr<engines::EngineSession> session,
                           const engines::ShapeLimits& limits)
    : spec_(spec),
      tokenizer_(tokenizer),
      session_(std::move(session)),
      encoder_(MakeEncoder(spec, tokenizer, limits)),
      heads_(MakeHeads(spec, tokenizer)),
      layout_(engines::LayoutEngineOutputs(spec.engine)),
      max_call_rows_(static_cast<size_t>(
          limits.max_batch > 0 ? limits.max_batch : std::max(spec.max_batch_size, 0))) {}

void TextPipeline::Run(const std::vector<TextRow>& rows, const std::vector<bool>& wanted,
                       BatchResult* result) {
  const size_t n_outputs = spec_.outputs.size();
  wanted_.assign(n_outputs, true);
  for (size_t i = 0; i < n_outputs && i < wanted.size(); ++i) wanted_[i] = wanted[i];
  result->errors.assign(rows.size(), std::string());
  result->failed_step.assign(rows.size(), nullptr);
  result->outputs.resize(n_outputs);
  for (OutputValues& values : result->outputs) values.Clear();

  encoder_->Encode(rows, &engine_rows_, result);
  started_heads_.clear();
  engine_heads_.clear();
  for (const std::unique_ptr<Head>& head : heads_) {
    if (!head->Start(rows, engine_rows_, wanted_, result)) continue;
    started_heads_.push_back(head.get());
    if (head->NeedsEngine()) engine_heads_.push_back(head.get());
  }
  result->tokenized_at = std::chrono::steady_clock::now();
  result->engine_calls = 0;
  if (engine_rows_.count == 0 || engine_heads_.empty()) {  // no good row, or nothing for the engine
    TrimScratch();
    return;
  }

  row_lengths_.clear();
  for (size_t w = 0; w < engine_rows_.count; ++w) {
    row_lengths_.push_back(engine_rows_[w].encoding.size());
  }
  for (const EngineCall& call :
       PlanEngineCalls(row_lengths_, static_cast<size_t>(spec_.max_batch_tokens), max_call_rows_,
                       static_cast<size_t>(spec_.engine_call_cost_tokens))) {
    RunEngineRows(call.rows, result);
  }
  for (Head* head : started_heads_) head->Finish(rows, engine_rows_, result);
  TrimScratch();
}

void TextPipeline::RunEngineRows(const std::vector<size_t>& engine_rows, BatchResult* result) {
  ++result->engine_calls;
  std::string failure;
  try {
    RunEngineCall(engine_rows, result);
    return;
  } catch (const std::exception& e) {
    failure = e.what();
  } catch (...) {
    failure = "unknown exception";
  }
  if (engine_rows.size() == 1) {
    result->FailRow(engine_rows_[engine_rows[0]].row, kEngineStep, failure);
    return;
  }
  // Halves until the rows that fail are alone: one request's row that the
  // engine cannot take does not fail its neighbours (at most 2n - 1 calls).
  const auto middle = engine_rows.begin() + static_cast<std::ptrdiff_t>(engine_rows.size() / 2);
  RunEngineRows(std::vector<size_t>(engine_rows.begin(), middle), result);
  RunEngineRows(std::vector<size_t>(middle, engine_rows.end()), result);
}

void TextPipeline::RunEngineCall(const std::vector<size_t>& engine_rows, BatchResult* result) {
  Pack(engine_rows);
  engines::EncodedBatch batch;
  batch.batch = static_cast<int64_t>(engine_rows.size());
  batch.seq = packed_seq_;
  batch.input_ids = input_ids_.data();
  batch.attention_mask = attention_mask_.data();
  batch.token_type_ids = token_type_ids_.data();
  // Held here: HostViews may hand back the engine's own views.
  const std::vector<engines::TensorView> engine_views = session_->Run(batch);
  const EngineCallOutputs call{HostViews(engine_views), layout_, engine_rows_, engine_rows,
                               packed_seq_, attention_mask_.data(), session_->cuda_stream()};
  for (Head* head : engine_heads_) head->ReadCall(call, result);
}

void TextPipeline::Pack(const std::vector<size_t>& engine_rows) {
  // Pad to the longest row of this call, not to max_length: short-text
  // batches then cost the engine only what they need.
  size_t longest = 0;
  for (size_t w : engine_rows) longest = std::max(longest, engine_rows_[w].encoding.size());
  packed_seq_ = static_cast<int64_t>(longest);
  const size_t total = engine_rows.size() * longest;
  input_ids_.assign(total, tokenizer_.pad_id());
  attention_mask_.assign(total, 0);
  token_type_ids_.assign(total, 0);
  for (size_t i = 0; i < engine_rows.size(); ++i) {
    const text::Encoding& enc = engine_rows_[engine_rows[i]].encoding;
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
  for (const std::unique_ptr<Head>& head : heads_) trimmed = head->TrimScratch(budget) || trimmed;
  trimmed = TrimScratchTo(input_ids_, budget.tokens) || trimmed;
  trimmed = TrimScratchTo(attention_mask_, budget.tokens) || trimmed;
  trimmed = TrimScratchTo(token_type_ids_, budget.tokens) || trimmed;
  trimmed = TrimScratchTo(row_lengths_, budget.rows) || trimmed;
#if defined(__GLIBC__)
  // Freed blocks stay in the allocator's arenas otherwise; give them to the OS.
  if (trimmed) malloc_trim(0);
#endif
}

}  // namespace fasterbert
