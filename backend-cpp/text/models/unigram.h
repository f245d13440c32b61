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
  // The child of `node` by `byte`, or -1.
  int32_t Child(uint32_t node, uint8_t byte) const {
    const uint32_t key = node << 8 | byte;
    for (uint32_t slot = EdgeSlot(key);; slot = (slot + 1) & edge_mask_) {
      const Edge& e = edges_[slot];
      if (e.key == key) return e.child;
      if (e.key == kNoEdge) return -1;
    }
  }
  uint32_t EdgeSlot(uint32_t key) const { return (key * 0x9E3779B1u) >> edge_shift_; }
  void AddEdge(uint32_t key, int32_t child);

  std::vector<double> scores_;
  // A byte trie of the pieces in one open-addressing table (the Viterbi
  // walks it once per byte, so it must not chase pointers): edge key
  // (node << 8 | byte) -> child node; the piece ending at a node (or -1).
  struct Edge {
    uint32_t key;
    int32_t child;
  };
  static constexpr uint32_t kNoEdge = UINT32_MAX;
  std::vector<Edge> edges_;
  uint32_t edge_mask_ = 0;
  uint32_t edge_shift_ = 32;
  std::vector<int32_t> node_piece_;
  std::optional<int32_t> empty_piece_id_;  // HF's map has "" too
  std::optional<int32_t> unk_id_;
  bool byte_fallback_ = false;
  bool fuse_unk_ = true;
  double min_score_ = 0;
  int32_t byte_ids_[256];  // <0xXX> ids, -1 when absent
};

}  // namespace fasterbert::text
