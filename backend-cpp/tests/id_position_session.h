// A fake engine for pipeline tests: token t at position s gets the vector
// [input_id, s], so mean pooling yields numbers that depend on the row's own
// tokens and positions only, never on padding or on other rows. It records
// each call's (batch, seq).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "engines/engine.h"

namespace fasterbert::testing {

class IdPositionSession final : public engines::EngineSession {
 public:
  std::vector<std::pair<int64_t, int64_t>> calls;  // (batch, seq)
  std::vector<engines::TensorView> Run(const engines::EncodedBatch& batch) override {
    calls.emplace_back(batch.batch, batch.seq);
    hidden_.assign(static_cast<size_t>(batch.batch * batch.seq * 2), 0.0f);
    for (int64_t i = 0; i < batch.batch * batch.seq; ++i) {
      hidden_[i * 2] = static_cast<float>(batch.input_ids[i]);
      hidden_[i * 2 + 1] = static_cast<float>(i % batch.seq);
    }
    return {{hidden_.data(), {batch.batch, batch.seq, 2}}};
  }

 private:
  std::vector<float> hidden_;
};

}  // namespace fasterbert::testing
