// LibTorch AOTInductor on a GPU: loads a .pt2 package (torch.export +
// torch._inductor.aoti_compile_and_package) once per model instance on the
// instance's device, feeds it the packed batch copied from pinned host
// memory on the session's own CUDA stream, and returns the outputs in device
// memory on that stream, so pooling can run there and only the pooled rows
// cross to the host. With cuda_graphs, each shape bucket's call is captured
// once (after one eager warm-up run at that shape) and replayed from then on.
// Built only where CMake finds Torch (and CUDA).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engines/engine.h"

namespace fasterbert::engines {

struct AotInductorEngineOptions {
  std::string package_path;
  // The package's inputs and outputs by name, in its positional order (the
  // signature file our exporter writes beside the .pt2).
  std::vector<std::string> input_order;
  std::vector<std::string> output_order;
  EngineBinding binding;
  // The export's dynamic-dim bounds (signature file); Engine::limits().
  ShapeLimits limits;
  // Replay the model as CUDA graphs, one per shape bucket (cuda_graph_buckets.h):
  // a batch is padded up to its bucket (masked positions, empty rows) so a
  // call costs one graph launch instead of hundreds of kernel launches.
  bool cuda_graphs = true;
  // With cuda_graphs, a call of more than this many tokens of work (a
  // token-packed package's real tokens, else batch x seq) runs without a
  // graph at its exact shape: its kernels are long enough for their launches
  // to hide behind them, and the bucket's padding would cost more than a
  // graph saves. 0: every call is replayed.
  int64_t graph_max_tokens = 0;
};

// Throws std::runtime_error naming the file or tensor when the package cannot
// be read or its signature does not hold a named tensor.
std::unique_ptr<Engine> MakeAotInductorEngine(const AotInductorEngineOptions& options);

}  // namespace fasterbert::engines
