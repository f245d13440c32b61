// An encoder turns a batch's text rows into engine rows (pipeline/batch.h),
// one per EncodingKind: a single text, a question and its context windows,
// a query and a passage. It owns the per-row errors of that step: a row the
// spec or the tokenizer refuses gets its error and no engine row; the other
// rows go on.
#pragma once

#include <memory>
#include <new>
#include <string>
#include <vector>

#include "engines/engine.h"
#include "pipeline/batch.h"
#include "pipeline/pipeline_spec.h"
#include "pipeline/scratch.h"
#include "text/tokenizer.h"

namespace fasterbert {

class Encoder {
 public:
  // `limits` are the engine's: a longer engine row is an error for its request.
  Encoder(const PipelineSpec& spec, const text::Tokenizer& tokenizer,
          const engines::ShapeLimits& limits);
  virtual ~Encoder() = default;
  Encoder(const Encoder&) = delete;
  Encoder& operator=(const Encoder&) = delete;

  // Fills out->rows[0, out->count) with the good rows' engine rows, in row
  // order, and result->errors[r] (with failed_step[r] when the failure is
  // ours) for each bad row r. `result`'s errors are sized to `rows`.
  virtual void Encode(const std::vector<TextRow>& rows, EngineRows* out, BatchResult* result) = 0;

  // Gives back scratch past `budget`; true when something was freed.
  virtual bool TrimScratch(const ScratchBudget&) { return false; }

 protected:
  // The spec's text limits on the row's texts (the second too when the
  // encoding takes two inputs); "" when they hold.
  std::string CheckRow(const TextRow& row) const;
  // An engine row longer than the engine takes; "" when it fits.
  std::string CheckEngineLength(size_t tokens) const;
  // Runs encode() (which returns the row's error, "" for none); whatever it
  // throws becomes row `row`'s error, ours (the tokenize step) when it is no
  // std::exception of the tokenizer's but an allocation failure or unknown.
  template <typename EncodeFn>
  static std::string Guarded(size_t row, const EncodeFn& encode, BatchResult* result);

  const PipelineSpec& spec_;
  const text::Tokenizer& tokenizer_;
  const engines::ShapeLimits limits_;
};

// The encoder of spec.encoding.kind.
std::unique_ptr<Encoder> MakeEncoder(const PipelineSpec& spec, const text::Tokenizer& tokenizer,
                                     const engines::ShapeLimits& limits);

template <typename EncodeFn>
std::string Encoder::Guarded(size_t row, const EncodeFn& encode, BatchResult* result) {
  // Each row's own failure, whatever was thrown: the batch goes on.
  try {
    return encode();
  } catch (const std::bad_alloc&) {
    result->failed_step[row] = kTokenizeStep;
    return "out of memory while tokenizing";
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    result->failed_step[row] = kTokenizeStep;
    return "unknown exception while tokenizing";
  }
}

}  // namespace fasterbert
