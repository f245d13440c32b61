#include "pipeline/embedding_pipeline.h"

#include <algorithm>
#include <stdexcept>

#include "ops/normalize.h"
#include "ops/pooling.h"

namespace fasterbert {

EmbeddingPipeline::EmbeddingPipeline(const PipelineSpec& spec,
                                     const text::BertTokenizer& tokenizer,
                                     std::unique_ptr<engines::EngineSession> session)
    : spec_(spec),
      tokenizer_(tokenizer),
      session_(std::move(session)),
      truncation_(spec.tokenizer.truncation ? text::Truncation::kLongestFirst
                                            : text::Truncation::kDoNotTruncate) {}

std::string EmbeddingPipeline::CheckRow(std::string_view row) const {
  if (row.empty() && !spec_.allow_empty_text) {
    return "input '" + spec_.text_input + "' holds an empty text; send at least one character";
  }
  if (row.size() > static_cast<size_t>(spec_.max_text_bytes)) {
    return "input '" + spec_.text_input + "' holds a text of " + std::to_string(row.size()) +
           " bytes, over this model's limit of " + std::to_string(spec_.max_text_bytes);
  }
  return {};
}

void EmbeddingPipeline::Run(const std::vector<std::string_view>& rows, BatchResult* result) {
  const size_t dim = static_cast<size_t>(spec_.output.dim);
  result->errors.assign(rows.size(), std::string());
  result->embeddings.assign(rows.size() * dim, 0.0f);
  if (encodings_.size() < rows.size()) encodings_.resize(rows.size());

  std::vector<size_t> good_rows;
  good_rows.reserve(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    std::string error = CheckRow(rows[r]);
    if (error.empty()) {
      try {
        tokenizer_.Encode(rows[r], static_cast<size_t>(spec_.tokenizer.max_length), truncation_,
                          &encodings_[r]);
      } catch (const std::exception& e) {
        error = "input '" + spec_.text_input + "': " + e.what();
      }
    }
    if (error.empty()) {
      good_rows.push_back(r);
    } else {
      result->errors[r] = std::move(error);
    }
  }
  if (good_rows.empty()) return;

  Pack(good_rows);
  engines::EncodedBatch batch;
  batch.batch = static_cast<int64_t>(good_rows.size());
  batch.seq = packed_seq_;
  batch.input_ids = input_ids_.data();
  batch.attention_mask = attention_mask_.data();
  batch.token_type_ids = token_type_ids_.data();
  try {
    PostProcess(session_->Run(batch), good_rows, result);
  } catch (const std::exception& e) {
    // The engine failed for the whole call: every row that reached it fails.
    for (size_t r : good_rows) result->errors[r] = std::string("engine failed: ") + e.what();
  }
}

void EmbeddingPipeline::Pack(const std::vector<size_t>& good_rows) {
  // Pad to the longest row of this batch, not to max_length: short-text
  // batches then cost the engine only what they need.
  size_t longest = 0;
  for (size_t r : good_rows) longest = std::max(longest, encodings_[r].ids.size());
  packed_seq_ = static_cast<int64_t>(longest);
  const size_t total = good_rows.size() * longest;
  input_ids_.assign(total, tokenizer_.pad_id());
  attention_mask_.assign(total, 0);
  token_type_ids_.assign(total, 0);
  for (size_t i = 0; i < good_rows.size(); ++i) {
    const text::Encoding& enc = encodings_[good_rows[i]];
    const size_t base = i * longest;
    for (size_t t = 0; t < enc.ids.size(); ++t) {
      input_ids_[base + t] = enc.ids[t];
      attention_mask_[base + t] = enc.attention_mask[t];
      token_type_ids_[base + t] = enc.type_ids[t];
    }
  }
}

void EmbeddingPipeline::PostProcess(const ops::TokenEmbeddingsView& hidden,
                                    const std::vector<size_t>& good_rows, BatchResult* result) {
  const int64_t dim = hidden.hidden;
  if (dim != spec_.output.dim) {
    throw std::runtime_error("engine returned width " + std::to_string(dim) + ", output '" +
                             spec_.output.name + "' expects " + std::to_string(spec_.output.dim));
  }
  pooled_.resize(static_cast<size_t>(hidden.batch * dim));
  bool pooled = false;
  for (PostOp op : spec_.post_ops) {
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
        ops::L2NormalizeRows(pooled_.data(), hidden.batch, dim);
        break;
    }
  }
  if (!pooled) throw std::runtime_error("the pipeline has no pooling step");
  for (size_t i = 0; i < good_rows.size(); ++i) {
    std::copy_n(pooled_.data() + i * static_cast<size_t>(dim), static_cast<size_t>(dim),
                result->embeddings.data() + good_rows[i] * static_cast<size_t>(dim));
  }
}

}  // namespace fasterbert
