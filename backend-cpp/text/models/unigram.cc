#include "text/models/unigram.h"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <stdexcept>

#include "text/serde_f64.h"
#include "text/utf8.h"

namespace fasterbert::text {

Unigram Unigram::FromJson(const JsonReader& r, const JsonValue& model, const std::string& path) {
  Unigram u;
  const auto& vocab = r.Array(model, path, "vocab");
  if (vocab.empty()) r.Fail(path + ".vocab", "is empty");
  u.node_piece_.push_back(-1);
  u.min_score_ = std::numeric_limits<double>::infinity();
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
    u.pieces_.push_back(piece);
    u.scores_.push_back(score);
    u.ids_.emplace(piece, id);
    u.min_score_ = std::min(u.min_score_, score);
    uint64_t node = 0;
    for (char ch : piece) {
      const uint64_t key = node << 8 | static_cast<uint8_t>(ch);
      auto it = u.edges_.find(key);
      if (it == u.edges_.end()) {
        it = u.edges_.emplace(key, static_cast<int32_t>(u.node_piece_.size())).first;
        u.node_piece_.push_back(-1);
      }
      node = static_cast<uint64_t>(it->second);
    }
    // HF's vocab map keeps the first id of a duplicated piece.
    if (!piece.empty() && u.node_piece_[node] < 0) u.node_piece_[node] = id;
  }
  if (const JsonValue* unk = r.Optional(model, "unk_id")) {
    u.unk_id_ = static_cast<int32_t>(
        r.Integer(*unk, path + ".unk_id", 0, static_cast<int64_t>(vocab.size()) - 1));
  }
  u.byte_fallback_ = r.Bool(model, path, "byte_fallback", false);
  u.fuse_unk_ = true;  // HF's Unigram always fuses unknowns
  for (int b = 0; b < 256; ++b) {
    char name[8];
    std::snprintf(name, sizeof(name), "<0x%02X>", b);
    const auto it = u.ids_.find(name);
    u.byte_ids_[b] = it == u.ids_.end() ? -1 : it->second;
  }
  return u;
}

std::optional<int32_t> Unigram::TokenToId(std::string_view token) const {
  const auto it = ids_.find(std::string(token));
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

template <typename F>
void Unigram::ForEachPrefix(std::string_view text, F&& f) const {
  uint64_t node = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto it = edges_.find(node << 8 | static_cast<uint8_t>(text[i]));
    if (it == edges_.end()) return;
    node = static_cast<uint64_t>(it->second);
    if (node_piece_[node] >= 0) f(node_piece_[node], i + 1);
  }
}

void Unigram::Tokenize(std::string_view word, std::vector<ModelToken>* out) const {
  if (word.empty()) return;
  constexpr double kUnkPenalty = 10.0;
  const double unk_score = min_score_ - kUnkPenalty;
  struct Node {
    int64_t starts_at = -1;
    int32_t id = -1;
    double score = 0;
  };
  const size_t n = word.size();
  std::vector<Node> best(n + 1);
  for (size_t start = 0; start < n;) {
    char32_t cp;
    const size_t char_len = DecodeUtf8(word, start, &cp);
    const double score_here = best[start].score;
    bool has_single_char = false;
    ForEachPrefix(word.substr(start), [&](int32_t id, size_t length) {
      Node& target = best[start + length];
      const double candidate = score_here + scores_[id];
      if (target.starts_at < 0 || candidate > target.score) {
        target.starts_at = static_cast<int64_t>(start);
        target.id = id;
        target.score = candidate;
      }
      if (length == char_len) has_single_char = true;
    });
    if (!has_single_char) {
      Node& target = best[start + char_len];
      const double candidate = score_here + unk_score;
      if (target.starts_at < 0 || candidate > target.score) {
        target.starts_at = static_cast<int64_t>(start);
        target.id = unk_id_ ? *unk_id_ : -1;
        target.score = candidate;
      }
    }
    start += char_len;
  }
  // Backtrack into (start, end, id) from the end; fuse unknowns.
  struct Piece {
    size_t start, end;
  };
  std::vector<Piece> pieces;
  bool previous_unk = false;
  for (size_t end = n; end > 0;) {
    const Node& node = best[end];
    const size_t start = static_cast<size_t>(node.starts_at);
    const bool unk = fuse_unk_ && unk_id_ && node.id == *unk_id_;
    if (unk && previous_unk) {
      pieces.back().start = start;  // extend the fused unknown leftwards
    } else {
      pieces.push_back({start, end});
    }
    previous_unk = unk;
    end = start;
  }
  std::reverse(pieces.begin(), pieces.end());
  for (const Piece& p : pieces) {
    const std::string_view text = word.substr(p.start, p.end - p.start);
    const uint32_t s = static_cast<uint32_t>(p.start), e = static_cast<uint32_t>(p.end);
    const auto it = ids_.find(std::string(text));
    if (it != ids_.end()) {
      out->push_back({it->second, s, e});
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
