// Reads rows of non-special tokens from stdin and prints ops/token_entities'
// JSON for none, simple, first, average and max, one line each; driven by
// test/ner/check_vs_hf.py. A row: "HEX(text) N", then N lines
// "index unknown start_byte end_byte HEX(token) logit0 .. logit8".
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "ops/token_entities.h"
#include "text/decoders.h"

namespace {

std::string Unhex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return out;
}

}  // namespace

int main() {
  using namespace fasterbert::ops;
  // BERT's words: by the "##" prefix, joined by the WordPiece decoder.
  TokenWords words;
  const fasterbert::text::Decoder decoder = fasterbert::text::Decoder::WordPiece("##", true);
  words.join = [&decoder](const std::vector<std::string>& tokens) { return decoder.Decode(tokens); };
  const std::vector<std::string> labels = {"O", "B-MISC", "I-MISC", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"};
  std::string line;
  while (std::getline(std::cin, line)) {
    std::istringstream head(line);
    std::string text_hex;
    size_t n = 0;
    head >> text_hex >> n;
    const std::string text = Unhex(text_hex);
    std::vector<std::vector<float>> logits(n, std::vector<float>(labels.size()));
    std::vector<TokenPiece> pieces(n);
    for (size_t i = 0; i < n; ++i) {
      std::getline(std::cin, line);
      std::istringstream row(line);
      int unknown = 0;
      std::string token_hex;
      row >> pieces[i].index >> unknown >> pieces[i].start_byte >> pieces[i].end_byte >> token_hex;
      for (float& v : logits[i]) row >> v;
      pieces[i].unknown = unknown != 0;
      pieces[i].token = Unhex(token_hex);
      pieces[i].logits = logits[i].data();
    }
    for (const auto a : {TokenAggregation::kNone, TokenAggregation::kSimple, TokenAggregation::kFirst,
                         TokenAggregation::kAverage, TokenAggregation::kMax}) {
      std::cout << TokenEntitiesJson(DecodeTokenEntities(text, pieces, labels, a, {"O"}, words), a) << "\n";
    }
  }
  return 0;
}
