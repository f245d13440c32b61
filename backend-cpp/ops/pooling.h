// Sentence pooling over the engine's token embeddings [batch, seq, hidden],
// with the attention mask [batch, seq] saying which positions are real tokens.
#pragma once

#include <cstdint>

namespace fasterbert::ops {

struct TokenEmbeddingsView {
  const float* data = nullptr;  // [batch, seq, hidden], row-major
  int64_t batch = 0;
  int64_t seq = 0;
  int64_t hidden = 0;
};

// out: [batch, hidden]. Masked mean as sentence-transformers computes it:
// sum(mask * x) / max(sum(mask), 1e-9).
void MeanPool(const TokenEmbeddingsView& x, const int64_t* mask, float* out);
// The first token ([CLS]) of each row.
void ClsPool(const TokenEmbeddingsView& x, float* out);
// Max over the real positions; padded positions never win.
void MaxPool(const TokenEmbeddingsView& x, const int64_t* mask, float* out);

}  // namespace fasterbert::ops
