// The interface the pipeline's engine stage talks to. An engine runs a BERT
// model (encoder, maybe with a head) on one packed batch and hands back the
// FP32 outputs the pipeline named. Implementations: OpenVINO (CPU, host
// outputs), LibTorch AOTInductor and TensorRT (GPU, device outputs on the
// session's CUDA stream); engines/engine_factory.h picks one from the spec.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace fasterbert::engines {

// One padded batch in host memory, [batch, seq] each, row-major. A GPU engine
// copies it to its device buffers on its own stream (from pinned staging).
struct EncodedBatch {
  int64_t batch = 0;
  int64_t seq = 0;
  const int64_t* input_ids = nullptr;
  const int64_t* attention_mask = nullptr;
  const int64_t* token_type_ids = nullptr;
};

// One output the pipeline reads, and the shape it must have.
struct EngineOutput {
  std::string name;
  bool per_token = true;  // true: [batch, seq, ...]; false: [batch, width]
  int64_t width = 0;      // last dim; 0 with per_token: the output is [batch, seq]
};

// How a model's tensors are wired to the pipeline, whatever the engine:
// which model inputs get our ids, mask and type ids, and what Run returns.
struct EngineBinding {
  std::string input_ids;
  std::string attention_mask;
  std::string token_type_ids;         // empty: the model takes no such input
  std::vector<EngineOutput> outputs;  // what Run returns, in this order
};

// Where a TensorView's data lives.
enum class Memory {
  kHost,
  kCuda,  // device memory of the session's GPU, ready once its stream reaches it
};

// An FP32 output of one Run, row-major; shape is [batch, seq, width],
// [batch, seq] or [batch, width] as its EngineOutput says.
struct TensorView {
  const float* data = nullptr;
  std::vector<int64_t> shape;
  Memory memory = Memory::kHost;
};

// The largest batch and sequence one engine call accepts (a TensorRT
// optimisation profile's max, an export's dynamic-dim bound); 0: unbounded.
struct ShapeLimits {
  int64_t max_batch = 0;
  int64_t max_seq = 0;
};

// Where an instance runs: Triton's instance_group kind and device id.
struct SessionPlacement {
  bool gpu = false;
  int device_id = 0;
};

// An engine session belongs to one model instance and is never shared
// between threads; Run's result stays valid until the next Run.
class EngineSession {
 public:
  virtual ~EngineSession() = default;
  // One view per output the engine was opened with, in that order. Host
  // views are complete on return; device views are enqueued on
  // cuda_stream() and the caller orders its own work after them there.
  virtual std::vector<TensorView> Run(const EncodedBatch& batch) = 0;
  // The cudaStream_t the session enqueues on; nullptr for host engines.
  virtual void* cuda_stream() const { return nullptr; }
};

// A loaded model, shared read-only by the instances of one Triton model;
// each instance opens its own session.
class Engine {
 public:
  virtual ~Engine() = default;
  virtual std::unique_ptr<EngineSession> OpenSession(const SessionPlacement& placement) = 0;
  virtual ShapeLimits limits() const { return {}; }
};

}  // namespace fasterbert::engines
