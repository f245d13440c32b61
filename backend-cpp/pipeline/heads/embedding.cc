#include "pipeline/heads/embedding.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "ops/normalize.h"
#include "ops/pooling.h"

namespace fasterbert {

void EmbeddingHead::ReadCall(const EngineCallOutputs& call, BatchResult* result) {
  for (size_t i : wanted_) {
    const OutputSpec& out = spec_.outputs[i];
    const DeviceOutputs::PooledRows pooled = Pool(call, out);
    const size_t dim = static_cast<size_t>(out.dim);
    float* values = result->outputs[i].fp32.data();
    for (size_t b = 0; b < call.rows.size(); ++b) {
      const float* embedding = pooled.values + b * dim;
      const size_t row = call.row(b).row;
      if (pooled.finite[b] == 0) result->FailRow(row, kEngineStep, kNotFiniteError);
      std::copy_n(embedding, dim, values + row * dim);
    }
  }
}

DeviceOutputs::PooledRows EmbeddingHead::Pool(const EngineCallOutputs& call, const OutputSpec& out) {
  const engines::TensorView& view = call.View(call.layout.token_embeddings, "token embeddings");
  const int64_t batch = static_cast<int64_t>(call.rows.size());
  ops::TokenEmbeddingsView hidden{view.data, batch, call.seq, view.shape.back()};
  if (hidden.hidden != out.dim) {
    throw std::runtime_error("engine returned width " + std::to_string(hidden.hidden) +
                             ", output '" + out.name + "' expects " + std::to_string(out.dim));
  }
  if (view.memory == engines::Memory::kCuda) {
    // Pooled, normalized and checked on the device; read where they landed.
    return device_outputs_.PoolToHost(view, call.attention_mask, batch, call.seq, out.post_ops,
                                      call.cuda_stream);
  }
  pooled_.resize(static_cast<size_t>(batch) * static_cast<size_t>(out.dim));
  bool pooled = false;
  for (PostOp op : out.post_ops) {
    switch (op) {
      case PostOp::kMeanPool:
        ops::MeanPool(hidden, call.attention_mask, pooled_.data());
        pooled = true;
        break;
      case PostOp::kClsPool:
        ops::ClsPool(hidden, pooled_.data());
        pooled = true;
        break;
      case PostOp::kMaxPool:
        ops::MaxPool(hidden, call.attention_mask, pooled_.data());
        pooled = true;
        break;
      case PostOp::kL2Normalize:
        if (!pooled) throw std::runtime_error("normalize before pooling");
        ops::L2NormalizeRows(pooled_.data(), batch, out.dim);
        break;
    }
  }
  if (!pooled) throw std::runtime_error("output '" + out.name + "' has no pooling step");
  finite_.resize(static_cast<size_t>(batch));
  const size_t dim = static_cast<size_t>(out.dim);
  for (size_t b = 0; b < finite_.size(); ++b) {
    finite_[b] = AllFinite(pooled_.data() + b * dim, dim) ? 1 : 0;
  }
  return {pooled_.data(), finite_.data()};
}

}  // namespace fasterbert
