#include "pipeline/heads/heads.h"

#include <stdexcept>
#include <string>
#include <utility>

#include "pipeline/heads/answers.h"
#include "pipeline/heads/classifier.h"
#include "pipeline/heads/embedding.h"
#include "pipeline/heads/entities.h"
#include "pipeline/heads/rerank.h"
#include "pipeline/heads/token_count.h"

namespace fasterbert {

std::vector<std::unique_ptr<Head>> MakeHeads(const PipelineSpec& spec,
                                             const text::Tokenizer& tokenizer) {
  std::vector<std::unique_ptr<Head>> heads;
  std::vector<bool> owned(spec.outputs.size(), false);
  // The indices of the spec's outputs that `owns` claims.
  auto claim = [&](bool (*owns)(OutputKind)) {
    std::vector<size_t> outputs;
    for (size_t i = 0; i < spec.outputs.size(); ++i) {
      if (!owns(spec.outputs[i].kind)) continue;
      outputs.push_back(i);
      owned[i] = true;
    }
    return outputs;
  };
  auto add = [&](std::vector<size_t> outputs, auto make) {
    if (!outputs.empty()) heads.push_back(make(std::move(outputs)));
  };
  add(claim(TokenCountHead::Owns),
      [&](std::vector<size_t> o) { return std::make_unique<TokenCountHead>(spec, std::move(o)); });
  add(claim(EmbeddingHead::Owns),
      [&](std::vector<size_t> o) { return std::make_unique<EmbeddingHead>(spec, std::move(o)); });
  add(claim(ClassifierHead::Owns),
      [&](std::vector<size_t> o) { return std::make_unique<ClassifierHead>(spec, std::move(o)); });
  add(claim(AnswersHead::Owns),
      [&](std::vector<size_t> o) { return std::make_unique<AnswersHead>(spec, std::move(o)); });
  add(claim(EntitiesHead::Owns), [&](std::vector<size_t> o) {
    return std::make_unique<EntitiesHead>(spec, std::move(o), tokenizer);
  });
  add(claim(RerankHead::Owns),
      [&](std::vector<size_t> o) { return std::make_unique<RerankHead>(spec, std::move(o)); });
  for (size_t i = 0; i < owned.size(); ++i) {
    if (!owned[i]) {
      throw std::runtime_error("output '" + spec.outputs[i].name + "': no head computes its kind");
    }
  }
  return heads;
}

}  // namespace fasterbert
