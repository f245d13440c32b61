#include "text/wordpiece.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string_view>

#include "text/utf8.h"

namespace fasterbert::text {
namespace {

// The vocab as a plain trie of bytes, before it is packed into a double
// array. Node 0 is the root of word-initial pieces, node 1 the root of
// continuation pieces.
struct BuildNode {
  std::vector<std::pair<uint8_t, int32_t>> children;  // sorted by byte once built
  int32_t token = -1;
  uint32_t length = 0;  // bytes of the node's string (prefix excluded)
  int32_t fail = -1;
  std::vector<std::pair<int32_t, uint32_t>> pops;  // (id, length)
};

int32_t Child(const std::vector<BuildNode>& nodes, int32_t node, uint8_t byte) {
  const auto& children = nodes[node].children;
  const auto it = std::lower_bound(children.begin(), children.end(), byte,
                                   [](const auto& child, uint8_t b) { return child.first < b; });
  return it != children.end() && it->first == byte ? it->second : -1;
}

void Insert(std::vector<BuildNode>* nodes, int32_t root, std::string_view key, int32_t id) {
  int32_t node = root;
  for (const char ch : key) {
    const auto byte = static_cast<uint8_t>(ch);
    int32_t next = -1;
    for (const auto& [b, child] : (*nodes)[node].children) {
      if (b == byte) next = child;
    }
    if (next < 0) {
      next = static_cast<int32_t>(nodes->size());
      const uint32_t length = (*nodes)[node].length + 1;
      (*nodes)[node].children.emplace_back(byte, next);
      nodes->emplace_back();
      nodes->back().length = length;
    }
    node = next;
  }
  (*nodes)[node].token = id;
}

// The free slots of a growing double array, as a doubly linked list in slot
// order. A slot unlinked after too many tries stays free (a hole that a
// child may still land on) but is no longer offered as a first slot.
class FreeSlots {
 public:
  bool IsFree(size_t slot) {
    Reserve(slot + 1);
    return free_[slot];
  }
  // The first listed slot.
  size_t First() {
    if (head_ == kEnd) Grow();
    return head_;
  }
  // The listed slot after the listed `slot`, growing the array as needed.
  size_t Next(size_t slot) {
    if (next_[slot] == kEnd) Grow();
    return next_[slot];
  }
  void Take(size_t slot) {
    Reserve(slot + 1);
    free_[slot] = false;
    if (linked_[slot]) Unlink(slot);
  }
  // A node's children did not fit with its first child on this listed slot.
  void Tried(size_t slot) {
    if (++tries_[slot] >= kMaxTries) Unlink(slot);
  }

 private:
  static constexpr size_t kEnd = SIZE_MAX;
  static constexpr uint8_t kMaxTries = 16;

  void Unlink(size_t slot) {
    const size_t p = prev_[slot], n = next_[slot];
    (p == kEnd ? head_ : next_[p]) = n;
    (n == kEnd ? last_ : prev_[n]) = p;
    linked_[slot] = false;
  }
  void Grow() { Reserve(std::max<size_t>(1024, free_.size() * 2)); }
  void Reserve(size_t size) {
    const size_t old = free_.size();
    if (size <= old) return;
    free_.resize(size, true);
    linked_.resize(size, true);
    tries_.resize(size, 0);
    next_.resize(size);
    prev_.resize(size);
    for (size_t s = old; s < size; ++s) {
      prev_[s] = s == old ? last_ : s - 1;
      next_[s] = s + 1 == size ? kEnd : s + 1;
    }
    (last_ == kEnd ? head_ : next_[last_]) = old;
    last_ = size - 1;
  }

  std::vector<bool> free_, linked_;
  std::vector<uint8_t> tries_;
  std::vector<size_t> next_, prev_;
  size_t head_ = kEnd, last_ = kEnd;
};

}  // namespace

WordPiece::WordPiece(const Vocab& vocab, int32_t unk_id,
                     const std::string& continuing_subword_prefix,
                     size_t max_input_chars_per_word)
    : unk_id_(unk_id), max_input_chars_per_word_(max_input_chars_per_word) {
  Build(vocab, continuing_subword_prefix);
}

void WordPiece::Build(const Vocab& vocab, const std::string& prefix) {
  // 1. The two tries. HF tries pieces of at least one char, so the empty
  // string (an empty vocab line) and the bare prefix never match.
  std::vector<BuildNode> nodes(2);
  // Sorted insertion keeps construction deterministic.
  std::vector<std::pair<std::string_view, int32_t>> tokens(vocab.ids().begin(), vocab.ids().end());
  std::sort(tokens.begin(), tokens.end());
  for (const auto& [token, id] : tokens) {
    if (token.empty()) continue;
    Insert(&nodes, 0, token, id);
    if (token.size() > prefix.size() && token.compare(0, prefix.size(), prefix) == 0) {
      Insert(&nodes, 1, token.substr(prefix.size()), id);
    }
  }
  for (auto& node : nodes) std::sort(node.children.begin(), node.children.end());

  // 2. Failure links and pops, shortest strings first: a node's link is to
  // a strictly shorter continuation string.
  std::vector<int32_t> order = {0, 1};
  for (size_t q = 0; q < order.size(); ++q) {
    const int32_t parent = order[q];
    for (const auto& [byte, child] : nodes[parent].children) {
      order.push_back(child);
      BuildNode& v = nodes[child];
      if (v.token >= 0) {
        // The node's whole string is the longest piece; nothing remains.
        v.pops = {{v.token, v.length}};
        v.fail = 1;
        continue;
      }
      // Otherwise the longest piece is a prefix of the parent's string: the
      // parent's pops come first, then the walk from its link goes on with
      // this byte, popping more wherever it cannot.
      int32_t z = nodes[parent].fail;
      if (z < 0) continue;  // the parent already fails: so does this node
      std::vector<std::pair<int32_t, uint32_t>> pops = nodes[parent].pops;
      int32_t next;
      while ((next = Child(nodes, z, byte)) < 0) {
        const BuildNode& zn = nodes[z];
        pops.insert(pops.end(), zn.pops.begin(), zn.pops.end());
        z = zn.fail;
        if (z < 0) break;
      }
      if (z < 0) continue;
      v.fail = next;
      v.pops = std::move(pops);
    }
  }

  // 3. Pack into a double array: the children of a node at base + byte.
  // Free slots form a doubly linked list; a node's first child goes on
  // each free slot in turn until all its children fit. A slot tried too
  // often is dropped from the list (left as a hole), which keeps building
  // linear.
  std::vector<int32_t> slot_of(nodes.size(), -1);
  std::vector<int32_t> bases(nodes.size(), 0);
  FreeSlots free_slots;
  slot_of[0] = 0;
  slot_of[1] = 1;
  free_slots.Take(0);
  free_slots.Take(1);
  // Parents are placed in the order of the smallest token id below them:
  // BERT vocabs list frequent tokens first, so the nodes a typical text
  // walks end up packed together at the front of the array.
  std::vector<int32_t> min_id(nodes.size(), INT32_MAX);
  for (size_t q = order.size(); q-- > 0;) {
    const int32_t node = order[q];
    if (nodes[node].token >= 0) min_id[node] = std::min(min_id[node], nodes[node].token);
    for (const auto& [byte, child] : nodes[node].children) {
      min_id[node] = std::min(min_id[node], min_id[child]);
    }
  }
  std::vector<int32_t> placement(order.begin() + 2, order.end());
  std::stable_sort(placement.begin(), placement.end(),
                   [&min_id](int32_t a, int32_t b) { return min_id[a] < min_id[b]; });
  placement.insert(placement.begin(), {0, 1});
  for (const int32_t node : placement) {
    const auto& children = nodes[node].children;
    if (children.empty()) continue;
    const size_t lo = children.front().first;
    for (size_t slot = free_slots.First();; ) {
      const size_t next = free_slots.Next(slot);
      bool fits = slot >= lo;
      for (size_t c = 1; fits && c < children.size(); ++c) {
        fits = free_slots.IsFree(slot - lo + children[c].first);
      }
      if (!fits) {
        free_slots.Tried(slot);
        slot = next;
        continue;
      }
      const size_t base = slot - lo;
      if (base + 256 > static_cast<size_t>(INT32_MAX)) {
        throw std::runtime_error("vocab too large for the WordPiece trie");
      }
      bases[node] = static_cast<int32_t>(base);
      for (const auto& [byte, child] : children) {
        slot_of[child] = static_cast<int32_t>(base + byte);
        free_slots.Take(base + byte);
      }
      break;
    }
  }
  size_t size = 2;
  for (size_t n = 0; n < nodes.size(); ++n) {
    size = std::max(size, static_cast<size_t>(slot_of[n]) + 1);
    size = std::max(size, static_cast<size_t>(bases[n]) + 256);
  }
  units_.assign(size, Unit{0, kFree});
  info_.assign(size, NodeInfo{kNone, 0, 0});
  token_.assign(size, -1);
  pops_.clear();
  for (size_t n = 0; n < nodes.size(); ++n) {
    const int32_t slot = slot_of[n];
    units_[slot].base = bases[n];
    token_[slot] = nodes[n].token;
    info_[slot].fail = nodes[n].fail < 0 ? kNone : slot_of[nodes[n].fail];
    info_[slot].pops_begin = static_cast<uint32_t>(pops_.size());
    for (const auto& [id, length] : nodes[n].pops) pops_.push_back({id, length});
    info_[slot].pops_end = static_cast<uint32_t>(pops_.size());
    for (const auto& [byte, child] : nodes[n].children) {
      units_[slot_of[child]].check = slot;
    }
  }
  // 4. Whole words are indexed once the caller says which bytes they use.
  short_tokens_.clear();
  for (const auto& [token, id] : tokens) {
    if (!token.empty() && token.size() <= kMaxKeyBytes && id >= 0 && id < (1 << 24)) {
      short_tokens_.emplace_back(std::string(token), id);
    }
  }

  // The roots are nobody's children; -2 never equals a slot.
  units_[0].check = -2;
  units_[1].check = -2;
  // The roots' own strings are not pieces, and nothing follows a stuck root.
  info_[0] = NodeInfo{kNone, 0, 0};
  info_[1] = NodeInfo{kNone, 0, 0};
  token_[0] = token_[1] = -1;
  root_initial_ = 0;
  root_continuation_ = 1;
}

void WordPiece::IndexWholeWords(const bool key_byte[256]) {
  std::vector<std::pair<std::string, int32_t>> keep;
  for (const auto& entry : short_tokens_) {
    bool ok = true;
    for (const char c : entry.first) ok = ok && key_byte[static_cast<uint8_t>(c)];
    if (ok) keep.push_back(entry);
  }
  words_.Build(keep);
}

void WordPiece::WordTable::Build(const std::vector<std::pair<std::string, int32_t>>& tokens) {
  size_t size = 16;
  while (size < 2 * tokens.size()) size *= 2;
  entries_.assign(size, Entry{0, 0, 0});
  mask_ = size - 1;
  for (const auto& [token, id] : tokens) {
    uint8_t bytes[16] = {};
    std::memcpy(bytes, token.data(), token.size());
    uint64_t k0 = 0;
    uint32_t k1 = 0;
    for (int i = 7; i >= 0; --i) k0 = (k0 << 8) | bytes[i];
    for (int i = 11; i >= 8; --i) k1 = (k1 << 8) | bytes[i];
    uint64_t h = Hash(k0, k1);
    while (entries_[h & mask_].length_id != 0) ++h;
    entries_[h & mask_] =
        Entry{k0, k1, static_cast<uint32_t>(token.size() << 24 | static_cast<uint32_t>(id))};
  }
}

bool WordPiece::PopPieces(Walk* walk, TokenBuffer* out) const {
  const NodeInfo& at = info_[walk->node];
  if (at.fail == kNone) return false;
  for (uint32_t p = at.pops_begin; p < at.pops_end; ++p) {
    out->push_back({pops_[p].id, walk->pos, walk->pos + pops_[p].length});
    walk->pos += pops_[p].length;
  }
  walk->node = at.fail;
  return true;
}

WordPiece::Walk WordPiece::FeedStuck(Walk walk, uint32_t byte, TokenBuffer* out) const {
  // The node's string cannot grow by this byte: pop the pieces the greedy
  // search takes from it, and retry from the continuation node of what
  // remains, until the byte fits or nothing remains to pop.
  while (true) {
    if (!PopPieces(&walk, out)) return {kNone, walk.pos};
    const int32_t next = units_[walk.node].base + static_cast<int32_t>(byte);
    if (units_[next].check == walk.node) return {next, walk.pos};
  }
}

bool WordPiece::FinishSlow(Walk walk, TokenBuffer* out) const {
  // Pop until nothing remains of the word.
  while (walk.node != root_continuation_) {
    if (!PopPieces(&walk, out)) return false;
  }
  return true;
}

bool WordPiece::MatchWord(const uint8_t* bytes, size_t n, uint32_t start, TokenBuffer* out) const {
  const size_t mark = out->size();
  Walk walk = Begin(start);
  for (size_t i = 0; i < n; ++i) {
    walk = Feed(walk, bytes[i], out);
    if (walk.failed()) {
      out->truncate(mark);
      return false;
    }
  }
  if (!Finish(walk, start + static_cast<uint32_t>(n), out)) {
    out->truncate(mark);
    return false;
  }
  return true;
}

void WordPiece::Tokenize(const NormalizedChar* chars, size_t count, WordPieceScratch* scratch,
                         std::vector<Token>* out) const {
  TokenBuffer tokens;
  Tokenize(chars, count, scratch, &tokens);
  out->insert(out->end(), tokens.begin(), tokens.end());
}

void WordPiece::Tokenize(const NormalizedChar* chars, size_t count, WordPieceScratch* scratch,
                         TokenBuffer* out) const {
  if (count == 0) return;
  if (count > max_input_chars_per_word_) {
    out->push_back({unk_id_, chars[0].start, chars[count - 1].end});
    return;
  }
  std::string& bytes = scratch->bytes;
  std::vector<uint32_t>& byte_char = scratch->byte_char;
  bytes.clear();
  byte_char.clear();
  for (size_t i = 0; i < count; ++i) {
    AppendUtf8(chars[i].cp, &bytes);
    byte_char.resize(bytes.size(), static_cast<uint32_t>(i));
  }
  const size_t mark = out->size();
  if (!MatchWord(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), 0, out)) {
    out->push_back({unk_id_, chars[0].start, chars[count - 1].end});
    return;
  }
  // Byte offsets in the word -> the alignments of its first and last chars.
  for (size_t t = mark; t < out->size(); ++t) {
    Token& token = (*out)[t];
    const NormalizedChar& first = chars[byte_char[token.start]];
    const NormalizedChar& last = chars[byte_char[token.end - 1]];
    token.start = first.start;
    token.end = last.end;
  }
}

}  // namespace fasterbert::text
