// HF tokenizers' Unigram model (SentencePiece's): pieces with log-prob
// scores, the best segmentation of a word by Viterbi over its chars (a char
// no piece starts with costs min score - 10 as unk_id), consecutive unknowns
// fused into one when fuse_unk, and with byte_fallback an unknown piece
// spelled as <0xXX> byte tokens when all of them are in the vocab.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "text/json.h"
#include "text/json_reader.h"
#include "text/models/model_token.h"

namespace fasterbert::text {

class Unigram {
 public:
  static Unigram FromJson(const JsonReader& reader, const JsonValue& model,
                          const std::string& path);

  void Tokenize(std::string_view word, std::vector<ModelToken>* out) const;
  std::optional<int32_t> TokenToId(std::string_view token) const;

 private:
  // Calls f(id, length) for every piece that is a prefix of text, shortest
  // first.
  template <typename F>
  void ForEachPrefix(std::string_view text, F&& f) const;

  std::vector<std::string> pieces_;
  std::vector<double> scores_;
  std::unordered_map<std::string, int32_t> ids_;
  // A byte trie of the pieces: edge (node << 8 | byte) -> child node; the
  // piece ending at a node (or -1).
  std::unordered_map<uint64_t, int32_t> edges_;
  std::vector<int32_t> node_piece_;
  std::optional<int32_t> unk_id_;
  bool byte_fallback_ = false;
  bool fuse_unk_ = true;
  double min_score_ = 0;
  int32_t byte_ids_[256];  // <0xXX> ids, -1 when absent
};

}  // namespace fasterbert::text
