#include "text/models/unigram.h"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <stdexcept>

#include "text/serde_f64.h"
#include "text/utf8.h"

namespace fasterbert::text {

// The piece trie while it is built: children by byte, in order.
struct Unigram::BuildNode {
  std::vector<std::pair<uint8_t, int32_t>> children;
  int32_t piece = -1;
};

Unigram Unigram::FromJson(const JsonReader& r, const JsonValue& model, const std::string& path) {
  Unigram u;
  const auto& vocab = r.Array(model, path, "vocab");
  if (vocab.empty()) r.Fail(path + ".vocab", "is empty");
  u.min_score_ = std::numeric_limits<double>::infinity();
  std::vector<BuildNode> nodes(1);
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
    size_t node = 0;
    for (char ch : piece) {
      const uint8_t c = static_cast<uint8_t>(ch);
      auto& children = nodes[node].children;
      auto it = std::lower_bound(children.begin(), children.end(), std::make_pair(c, int32_t{-1}));
      if (it == children.end() || it->first != c) {
        it = children.insert(it, {c, static_cast<int32_t>(nodes.size())});
        nodes.emplace_back();  // invalidates `children`, not `it`'s value
      }
      node = static_cast<size_t>(it->second);
    }
    // HF's vocab map keeps the first id of a duplicated piece.
    if (!piece.empty() && nodes[node].piece < 0) nodes[node].piece = id;
  }
  u.BuildDoubleArray(nodes, r, path);
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

void Unigram::BuildDoubleArray(const std::vector<BuildNode>& nodes, const JsonReader& r,
                               const std::string& path) {
  // Breadth first; each node's children go to the first base (>= 1) whose
  // slots are all free, searched along a list of the free units (a scan of
  // every unit is quadratic on a real vocab). `unit_of`: build node -> unit.
  std::vector<int32_t> unit_of(nodes.size(), -1);
  std::vector<int32_t> next_free, prev_free;  // the free units, in order
  const int32_t kEnd = -1;
  int32_t first_free = kEnd, last_free = kEnd;
  auto grow = [&](size_t size) {
    while (units_.size() < size) {
      const int32_t i = static_cast<int32_t>(units_.size());
      units_.push_back(Unit{});
      next_free.push_back(kEnd);
      prev_free.push_back(last_free);
      if (last_free == kEnd) {
        first_free = i;
      } else {
        next_free[last_free] = i;
      }
      last_free = i;
    }
  };
  auto take = [&](int32_t i, int32_t parent) {
    units_[i].check = parent;
    const int32_t prev = prev_free[i], next = next_free[i];
    if (prev == kEnd) {
      first_free = next;
    } else {
      next_free[prev] = next;
    }
    if (next == kEnd) {
      last_free = prev;
    } else {
      prev_free[next] = prev;
    }
  };
  grow(256 + 1);
  take(0, INT32_MAX);  // the root: used, and no unit's child
  unit_of[0] = 0;
  std::vector<size_t> queue{0};
  for (size_t q = 0; q < queue.size(); ++q) {
    const BuildNode& node = nodes[queue[q]];
    const int32_t unit = unit_of[queue[q]];
    units_[unit].piece = node.piece;
    if (node.piece >= 0) units_[unit].score = scores_[node.piece];
    if (node.children.empty()) continue;
    const int32_t lowest = node.children.front().first;
    for (int32_t slot = first_free;; slot = next_free[slot]) {
      if (slot == kEnd) {  // nothing fits: past the end
        slot = static_cast<int32_t>(units_.size());
        grow(units_.size() + 1);
      }
      if (slot - lowest < 1) continue;
      const size_t base = static_cast<size_t>(slot - lowest);
      if (base > static_cast<size_t>(INT32_MAX) - 512) r.Fail(path + ".vocab", "trie too large");
      grow(base + 256 + 1);  // Child reads base + byte unchecked
      bool fits = true;
      for (const auto& child : node.children) {
        if (units_[base + child.first].check >= 0) {
          fits = false;
          break;
        }
      }
      if (!fits) continue;
      units_[unit].base = static_cast<int32_t>(base);
      for (const auto& child : node.children) {
        take(static_cast<int32_t>(base + child.first), unit);
        unit_of[child.second] = static_cast<int32_t>(base + child.first);
        queue.push_back(static_cast<size_t>(child.second));
      }
      break;
    }
  }
}

std::optional<int32_t> Unigram::TokenToId(std::string_view token) const {
  if (token.empty()) return empty_piece_id_;
  int32_t node = 0;
  for (char ch : token) {
    node = Child(node, static_cast<uint8_t>(ch));
    if (node < 0) return std::nullopt;
  }
  if (units_[node].piece < 0) return std::nullopt;
  return units_[node].piece;
}

void Unigram::Tokenize(std::string_view word, std::vector<ModelToken>* out) const {
  if (word.empty()) return;
  const WordCache::Key key = WordCache::MakeKey(word);
  if (cache_.Find(key, out)) return;
  const size_t first = out->size();
  Viterbi(word, out);
  cache_.Store(key, *out, first);
}

void Unigram::Viterbi(std::string_view word, std::vector<ModelToken>* out) const {
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
      node = Child(node, bytes[i]);
      if (node < 0) break;
      const Unit& unit = units_[node];
      const int32_t id = unit.piece;
      if (id < 0) continue;
      const size_t length = i + 1 - start;
      Node& target = best[i + 1];
      const double candidate = score_here + unit.score;
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
