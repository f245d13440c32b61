// Engine outputs that stay in GPU memory (TensorRT, AOTInductor): the
// sentence-embedding ops run on the device on the session's stream and only
// the pooled [rows, hidden] crosses to the host; the small per-row outputs
// (logits, QA start/end) are copied to host memory as they are. The seed's
// model.py instead copies the whole [batch, seq, hidden] to the host.
//
// Built with the CUDA ops where CUDA was found; elsewhere every call throws,
// which only happens if a host-only build is handed a device engine.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "engines/engine.h"
#include "pipeline/pipeline_spec.h"

namespace fasterbert {

class DeviceOutputs {
 public:
  DeviceOutputs();
  ~DeviceOutputs();
  DeviceOutputs(const DeviceOutputs&) = delete;
  DeviceOutputs& operator=(const DeviceOutputs&) = delete;

  // Pooled rows in pinned host memory, valid until the next PoolToHost.
  struct PooledRows {
    const float* values = nullptr;    // [batch, hidden]
    const uint8_t* finite = nullptr;  // [batch]: 0 where the row holds a NaN or an infinity
  };

  // Applies `ops` (a pooling first, then optionally L2) to the device view
  // [batch, seq, hidden] with the host mask [batch, seq], checks each result
  // row for NaN and infinities on the device, and brings both back in one
  // copy. Returns once they are on the host.
  PooledRows PoolToHost(const engines::TensorView& hidden, const int64_t* host_mask,
                        int64_t batch, int64_t seq, const std::vector<PostOp>& ops, void* stream);

  // Copies a device view to host memory kept in `slot` (one per engine
  // output) until the next copy into the same slot.
  engines::TensorView ToHost(const engines::TensorView& view, size_t slot, void* stream);

  // True when this build can handle device views at all.
  static bool Available();

 private:
  struct Buffers;
  std::unique_ptr<Buffers> buffers_;
};

}  // namespace fasterbert
