// fasterbert_bpe_check: runs the BPE model or the GPT-2 split over a file of
// strings, for test/tokenizer/bpe_parity.py's comparison with HF tokenizers.
//
//   fasterbert_bpe_check bpe TOKENIZER.json INPUT   (the file's "model" object)
//   fasterbert_bpe_check split INPUT
//   fasterbert_bpe_check alphabet     (ByteLevelChar of bytes 0..255, one a line)
// INPUT has one string per line as the hex digits of its bytes (an empty
// line is the empty string). Output: one line per string, space-separated,
// "id:start:end" per token for bpe, "start:end" per range for split (byte
// offsets), or "error <message>".
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "text/byte_level.h"
#include "text/json.h"
#include "text/models/bpe.h"

namespace {

using fasterbert::text::Bpe;
using fasterbert::text::ModelToken;

std::string FromHex(const std::string& hex) {
  if (hex.size() % 2 != 0) throw std::runtime_error("odd hex line");
  std::string bytes;
  for (size_t i = 0; i < hex.size(); i += 2) {
    bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return bytes;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "alphabet" && argc == 2) {
      for (int byte = 0; byte < 256; ++byte) {
        std::cout << fasterbert::text::ByteLevelChar(static_cast<uint8_t>(byte)) << '\n';
      }
      return 0;
    }
    if (!((mode == "bpe" && argc == 4) || (mode == "split" && argc == 3))) {
      std::cerr << "usage: fasterbert_bpe_check bpe TOKENIZER.json INPUT | split INPUT | alphabet\n";
      return 2;
    }
    std::optional<Bpe> bpe;
    if (mode == "bpe") {
      const auto doc = fasterbert::text::ParseJson(ReadFile(argv[2]), argv[2]);
      const auto* model = doc.Find("model");
      if (model == nullptr) throw std::runtime_error(std::string(argv[2]) + ": no model");
      bpe = Bpe::FromJson(*model, std::string(argv[2]) + ": model");
    }
    std::ifstream in(argv[argc - 1], std::ios::binary);
    if (!in) throw std::runtime_error(std::string("cannot read ") + argv[argc - 1]);
    std::string line;
    std::vector<ModelToken> tokens;
    std::vector<std::pair<uint32_t, uint32_t>> ranges;
    std::string out;
    while (std::getline(in, line)) {
      const std::string text = FromHex(line);
      out.clear();
      try {
        if (bpe) {
          tokens.clear();
          bpe->Tokenize(text, &tokens);
          for (const auto& t : tokens) {
            if (!out.empty()) out += ' ';
            out += std::to_string(t.id) + ':' + std::to_string(t.start) + ':' + std::to_string(t.end);
          }
        } else {
          ranges.clear();
          fasterbert::text::SplitGpt2(text, &ranges);
          for (const auto& [start, end] : ranges) {
            if (!out.empty()) out += ' ';
            out += std::to_string(start) + ':' + std::to_string(end);
          }
        }
      } catch (const std::exception& e) {
        out = std::string("error ") + e.what();
      }
      std::cout << out << '\n';
    }
  } catch (const std::exception& e) {
    std::cerr << e.what() << '\n';
    return 1;
  }
  return 0;
}
