#include "text/models/unigram.h"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <stdexcept>
#include <unordered_map>

#include "text/serde_f64.h"
#include "text/utf8.h"

namespace fasterbert::text {

Unigram Unigram::FromJson(const JsonReader& r, const JsonValue& model, const std::string& path) {
  Unigram u;
  const auto& vocab = r.Array(model, path, "vocab");
  if (vocab.empty()) r.Fail(path + ".vocab", "is empty");
  u.node_piece_.push_back(-1);
  u.min_score_ = std::numeric_limits<double>::infinity();
  // Built in a node map first; the flat table is sized from its count.
  std::unordered_map<uint32_t, int32_t> edges;
  for (size_t i = 0; i < vocab.size(); ++i) {
    const std::string item_path = JsonReader::Index(path + ".vocab", i);
    const JsonValue& item = vocab[i];
    if (!item.is_array() || item.array().size() != 2 || !item.array()[0].is_string() ||
        !item.array()[1].is_number()) {
      r.Fail(item_path, "expected [piece, score]");
    }
    const std::string& piece = item.array()[0].string();
    const double score = SerdeJsonF64(item.array()[1].number_literal());
    const int32_t id = static_cast<int32_t>(i);
    u.scores_.push_back(score);
    u.min_score_ = std::min(u.min_score_, score);
    if (piece.empty() && !u.empty_piece_id_) u.empty_piece_id_ = id;
    uint32_t node = 0;
    for (char ch : piece) {
      const uint32_t key = node << 8 | static_cast<uint8_t>(ch);
      auto it = edges.find(key);
      if (it == edges.end()) {
        // Node numbers must leave 8 bits for the byte in a 32-bit key.
        if (u.node_piece_.size() >= (1u << 24) - 1) r.Fail(path + ".vocab", "too many trie nodes");
        it = edges.emplace(key, static_cast<int32_t>(u.node_piece_.size())).first;
        u.node_piece_.push_back(-1);
      }
      node = static_cast<uint32_t>(it->second);
    }
    // HF's vocab map keeps the first id of a duplicated piece.
    if (!piece.empty() && u.node_piece_[node] < 0) u.node_piece_[node] = id;
  }
  uint32_t bits = 4;
  while ((size_t{1} << bits) < edges.size() * 2) ++bits;
  u.edges_.assign(size_t{1} << bits, Edge{kNoEdge, -1});
  u.edge_mask_ = (1u << bits) - 1;
  u.edge_shift_ = 32 - bits;
  for (const auto& [key, child] : edges) u.AddEdge(key, child);
  if (const JsonValue* unk = r.Optional(model, "unk_id")) {
    u.unk_id_ = static_cast<int32_t>(
        r.Integer(*unk, path + ".unk_id", 0, static_cast<int64_t>(vocab.size()) - 1));
  }
  u.byte_fallback_ = r.Bool(model, path, "byte_fallback", false);
  u.fuse_unk_ = true;  // HF's Unigram always fuses unknowns
  for (int b = 0; b < 256; ++b) {
    char name[8];
    std::snprintf(name, sizeof(name), "<0x%02X>", b);
    u.byte_ids_[b] = u.TokenToId(name).value_or(-1);
  }
  return u;
}

void Unigram::AddEdge(uint32_t key, int32_t child) {
  uint32_t slot = EdgeSlot(key);
  while (edges_[slot].key != kNoEdge) slot = (slot + 1) & edge_mask_;
  edges_[slot] = {key, child};
}

std::optional<int32_t> Unigram::TokenToId(std::string_view token) const {
  if (token.empty()) return empty_piece_id_;
  int32_t node = 0;
  for (char ch : token) {
    node = Child(static_cast<uint32_t>(node), static_cast<uint8_t>(ch));
    if (node < 0) return std::nullopt;
  }
  if (node_piece_[node] < 0) return std::nullopt;
  return node_piece_[node];
}

void Unigram::Tokenize(std::string_view word, std::vector<ModelToken>* out) const {
  if (word.empty()) return;
  constexpr double kUnkPenalty = 10.0;
  const double unk_score = min_score_ - kUnkPenalty;
  struct Node {
    int64_t starts_at;
    int32_t id;
    double score;
  };
  const size_t n = word.size();
  // Per thread, reused: Encode runs on several threads and calls this per word.
  thread_local std::vector<Node> best;
  best.assign(n + 1, Node{-1, -1, 0});
  const auto* bytes = reinterpret_cast<const uint8_t*>(word.data());
  const int32_t unk_id = unk_id_ ? *unk_id_ : -1;
  for (size_t start = 0; start < n;) {
    const size_t char_len = Utf8SequenceLength(bytes[start]);
    const double score_here = best[start].score;
    bool has_single_char = false;
    // Every piece that is a prefix of word[start..], shortest first.
    int32_t node = 0;
    for (size_t i = start; i < n; ++i) {
      node = Child(static_cast<uint32_t>(node), bytes[i]);
      if (node < 0) break;
      const int32_t id = node_piece_[node];
      if (id < 0) continue;
      const size_t length = i + 1 - start;
      Node& target = best[i + 1];
      const double candidate = score_here + scores_[id];
      if (target.starts_at < 0 || candidate > target.score) {
        target.starts_at = static_cast<int64_t>(start);
        target.id = id;
        target.score = candidate;
      }
      if (length == char_len) has_single_char = true;
    }
    if (!has_single_char) {
      Node& target = best[start + char_len];
      const double candidate = score_here + unk_score;
      if (target.starts_at < 0 || candidate > target.score) {
        target.starts_at = static_cast<int64_t>(start);
        target.id = unk_id;
        target.score = candidate;
      }
    }
    start += char_len;
  }
  // Backtrack into (start, end, id) from the end; fuse unknowns.
  struct Piece {
    size_t start, end;
    int32_t id;
  };
  thread_local std::vector<Piece> pieces;
  pieces.clear();
  bool previous_unk = false;
  for (size_t end = n; end > 0;) {
    const Node& node = best[end];
    const size_t start = static_cast<size_t>(node.starts_at);
    const bool unk = fuse_unk_ && unk_id_ && node.id == unk_id;
    if (unk && previous_unk) {
      pieces.back().start = start;  // extend the fused unknown leftwards
    } else {
      pieces.push_back({start, end, node.id});
    }
    previous_unk = unk;
    end = start;
  }
  for (size_t k = pieces.size(); k-- > 0;) {
    const Piece& p = pieces[k];
    const uint32_t s = static_cast<uint32_t>(p.start), e = static_cast<uint32_t>(p.end);
    // A piece Viterbi took from the trie is that piece's (first) id; only an
    // unknown stretch is looked up again, as HF looks up every piece.
    if (p.id >= 0 && p.id != unk_id) {
      out->push_back({p.id, s, e});
      continue;
    }
    const std::string_view text = word.substr(p.start, p.end - p.start);
    if (const auto id = TokenToId(text)) {
      out->push_back({*id, s, e});
      continue;
    }
    if (byte_fallback_) {
      bool all = true;
      for (char ch : text) all = all && byte_ids_[static_cast<uint8_t>(ch)] >= 0;
      if (all) {
        for (char ch : text) out->push_back({byte_ids_[static_cast<uint8_t>(ch)], s, e});
        continue;
      }
    }
    if (!unk_id_) throw std::runtime_error("Unigram: no unk_id for an unknown piece");
    out->push_back({*unk_id_, s, e});
  }
}

}  // namespace fasterbert::text
