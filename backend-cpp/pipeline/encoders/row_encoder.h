// The encoders that make one engine row per text row (a single text, a
// query and one passage). Rows are independent, so a large batch tokenizes
// on the instance's tokenizer threads (pipeline/parallel_rows.h).
#pragma once

#include <vector>

#include "pipeline/encoders/encoder.h"
#include "pipeline/parallel_rows.h"

namespace fasterbert {

class RowEncoder : public Encoder {
 public:
  RowEncoder(const PipelineSpec& spec, const text::Tokenizer& tokenizer,
             const engines::ShapeLimits& limits);

  void Encode(const std::vector<TextRow>& rows, EngineRows* out, BatchResult* result) override;

 protected:
  // One text row's engine row into *out; throws std::runtime_error naming
  // the input at fault. Called on any tokenizer thread: must be thread-safe.
  virtual void EncodeRow(const TextRow& row, text::Encoding* out) const = 0;

 private:
  bool TokenizesInParallel(const std::vector<TextRow>& rows) const;

  ParallelRows parallel_rows_;
};

}  // namespace fasterbert
