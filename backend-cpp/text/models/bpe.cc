#include "text/models/bpe.h"

#include <algorithm>
#include <cstring>
#include <cstddef>
#include <cstdio>
#include <functional>
#include <queue>
#include <stdexcept>
#include <utility>

#include "text/utf8.h"

namespace fasterbert::text {
namespace {

[[noreturn]] void Fail(const std::string& where, const std::string& field, const std::string& what) {
  throw std::runtime_error(where + "." + field + ": " + what);
}

// A string field that may also be null or absent (-> nullopt).
std::optional<std::string> OptionalString(const JsonValue& model, const std::string& where,
                                          const char* field) {
  const JsonValue* value = model.Find(field);
  if (value == nullptr || value->is_null()) return std::nullopt;
  if (!value->is_string()) Fail(where, field, "expected a string or null");
  return value->string();
}

bool OptionalBool(const JsonValue& model, const std::string& where, const char* field) {
  const JsonValue* value = model.Find(field);
  if (value == nullptr || value->is_null()) return false;
  if (!value->is_bool()) Fail(where, field, "expected true or false");
  return value->bool_value();
}

// One symbol of the word being merged: a doubly linked list over an array,
// as merges only ever join a symbol with its right neighbour.
struct Symbol {
  int32_t id;
  int32_t prev;
  int32_t next;
  uint32_t len;  // bytes of the word it covers; 0 once merged into its left
};

struct QueuedMerge {
  uint32_t rank;
  int32_t pos;
  int32_t new_id;
  // std::priority_queue pops the largest: the lowest rank, then left-most.
  bool operator<(const QueuedMerge& other) const {
    if (rank != other.rank) return rank > other.rank;
    return pos > other.pos;
  }
};

struct Scratch {
  std::vector<Symbol> symbols;
  std::vector<QueuedMerge> heap;
  std::string piece;
};

}  // namespace

Bpe Bpe::FromJson(const JsonValue& model, const std::string& where) {
  if (!model.is_object()) throw std::runtime_error(where + ": expected an object");
  Bpe bpe;
  bpe.where_ = where;
  if (const JsonValue* type = model.Find("type"); type != nullptr && !type->is_null()) {
    if (!type->is_string() || type->string() != "BPE") Fail(where, "type", "expected \"BPE\"");
  }
  if (const JsonValue* dropout = model.Find("dropout"); dropout != nullptr && !dropout->is_null()) {
    // 0 is no dropout for HF too; anything else samples merges at random.
    if (!dropout->is_number() || dropout->number() != 0.0) {
      Fail(where, "dropout", "BPE dropout is random and not supported (use null)");
    }
  }

  const JsonValue* vocab = model.Find("vocab");
  if (vocab == nullptr || !vocab->is_object()) Fail(where, "vocab", "expected an object token -> id");
  std::vector<std::pair<std::string, int32_t>> pairs;
  pairs.reserve(vocab->object().size());
  for (const auto& [token, id] : vocab->object()) {
    if (!id.is_integer() || id.integer() < 0 || id.integer() > INT32_MAX) {
      Fail(where, "vocab[\"" + token + "\"]", "expected an id in [0, 2^31)");
    }
    pairs.emplace_back(token, static_cast<int32_t>(id.integer()));
  }
  bpe.vocab_ = Vocab::FromPairs(pairs, where + ".vocab");

  bpe.unk_token_ = OptionalString(model, where, "unk_token");
  bpe.continuing_subword_prefix_ = OptionalString(model, where, "continuing_subword_prefix").value_or("");
  bpe.end_of_word_suffix_ = OptionalString(model, where, "end_of_word_suffix").value_or("");
  bpe.fuse_unk_ = OptionalBool(model, where, "fuse_unk");
  bpe.byte_fallback_ = OptionalBool(model, where, "byte_fallback");
  bpe.ignore_merges_ = OptionalBool(model, where, "ignore_merges");

  for (int byte = 0; byte < 256; ++byte) {
    char name[8];
    std::snprintf(name, sizeof(name), "<0x%02X>", byte);
    bpe.byte_ids_[byte] = bpe.vocab_.Find(name).value_or(-1);
  }

  const JsonValue* merges = model.Find("merges");
  if (merges != nullptr && !merges->is_null()) {
    if (!merges->is_array()) Fail(where, "merges", "expected an array");
    const size_t prefix_len = bpe.continuing_subword_prefix_.size();
    const auto& list = merges->array();
    std::unordered_map<uint64_t, MergeResult> merge_map;
    merge_map.reserve(list.size());
    for (size_t rank = 0; rank < list.size(); ++rank) {
      const std::string field = "merges[" + std::to_string(rank) + "]";
      const JsonValue& merge = list[rank];
      std::string left, right;
      if (merge.is_string()) {  // "a b": split at the first space, as HF does
        const std::string& text = merge.string();
        const size_t space = text.find(' ');
        if (space == std::string::npos) Fail(where, field, "'" + text + "' is not two tokens separated by a space");
        left = text.substr(0, space);
        right = text.substr(space + 1);
      } else if (merge.is_array() && merge.array().size() == 2 && merge.array()[0].is_string() &&
                 merge.array()[1].is_string()) {
        left = merge.array()[0].string();
        right = merge.array()[1].string();
      } else {
        Fail(where, field, "expected \"a b\" or [\"a\", \"b\"]");
      }
      const auto left_id = bpe.vocab_.Find(left);
      if (!left_id) Fail(where, field, "'" + left + "' is not in the vocab");
      const auto right_id = bpe.vocab_.Find(right);
      if (!right_id) Fail(where, field, "'" + right + "' is not in the vocab");
      // HF drops prefix_len bytes of the right token, prefix or not.
      if (right.size() < prefix_len || FindInvalidUtf8(std::string_view(right).substr(prefix_len))) {
        Fail(where, field, "'" + right + "' does not start with the continuing_subword_prefix");
      }
      const std::string merged = left + right.substr(prefix_len);
      const auto merged_id = bpe.vocab_.Find(merged);
      if (!merged_id) Fail(where, field, "'" + merged + "' is not in the vocab");
      // A pair listed twice keeps its last rank, as in HF's map.
      merge_map[PairKey(*left_id, *right_id)] = {static_cast<uint32_t>(rank), *merged_id};
    }
    bpe.BuildMergeTable(merge_map);
  } else {
    bpe.BuildMergeTable({});
  }
  bpe.char_ids_.assign(0x800, -1);
  for (char32_t cp = 0; cp < 0x800; ++cp) {
    std::string text;
    AppendUtf8(cp, &text);
    bpe.char_ids_[cp] = bpe.vocab_.Find(text).value_or(-1);
  }
  return bpe;
}

void Bpe::BuildMergeTable(const std::unordered_map<uint64_t, MergeResult>& merges) {
  unsigned bits = 4;
  while ((size_t{1} << bits) < merges.size() * 2) ++bits;
  merges_.assign(size_t{1} << bits, MergeSlot{kNoMerge, {0, -1}});
  merge_mask_ = (size_t{1} << bits) - 1;
  merge_shift_ = 64 - bits;
  for (const auto& [key, result] : merges) {
    size_t slot = MergeSlotOf(key);
    while (merges_[slot].key != kNoMerge) slot = (slot + 1) & merge_mask_;
    merges_[slot] = {key, result};
  }
}

void Bpe::Tokenize(std::string_view word, std::vector<ModelToken>* out) const {
  if (word.empty()) return;
  if (ignore_merges_) {
    if (const auto id = vocab_.Find(word)) {
      out->push_back({*id, 0, static_cast<uint32_t>(word.size())});
      return;
    }
  }
  const WordCache::Key key = WordCache::MakeKey(word);
  if (cache_.Find(key, out)) return;
  const size_t first = out->size();
  Merge(word, out);
  cache_.Store(key, *out, first);
}

void Bpe::Merge(std::string_view word, std::vector<ModelToken>* out) const {
  thread_local Scratch scratch;
  std::vector<Symbol>& symbols = scratch.symbols;
  symbols.clear();
  auto add = [&symbols](int32_t id, uint32_t len) {
    const int32_t index = static_cast<int32_t>(symbols.size());
    symbols.push_back({id, index - 1, index + 1, len});
  };

  // The unknown chars not yet added: HF holds them back to fuse them.
  bool unk_pending = false;
  int32_t unk_id = -1;
  uint32_t unk_len = 0;
  const bool decorate = !continuing_subword_prefix_.empty() || !end_of_word_suffix_.empty();
  std::string& piece = scratch.piece;
  for (size_t pos = 0; pos < word.size();) {
    char32_t cp;
    const uint32_t char_len = static_cast<uint32_t>(DecodeUtf8(word, pos, &cp));
    const bool is_first = pos == 0;
    const bool is_last = pos + char_len >= word.size();
    std::string_view text = word.substr(pos, char_len);
    pos += char_len;
    if (decorate) {
      piece.clear();
      if (!is_first) piece += continuing_subword_prefix_;
      piece += text;
      if (is_last) piece += end_of_word_suffix_;
      text = piece;
    }
    if (const auto id = decorate ? vocab_.Find(text) : CharId(text)) {
      if (unk_pending) {
        add(unk_id, unk_len);
        unk_pending = false;
      }
      add(*id, char_len);
      continue;
    }
    if (byte_fallback_) {
      // Every byte of the piece (prefix and suffix included, as HF) must
      // have its token; each counts as one byte of the word. A pending
      // unknown is not added first: HF adds it after these.
      const bool all_known = std::all_of(text.begin(), text.end(), [this](char c) {
        return byte_ids_[static_cast<uint8_t>(c)] >= 0;
      });
      if (all_known) {
        for (const char c : text) add(byte_ids_[static_cast<uint8_t>(c)], 1);
        continue;
      }
    }
    if (!unk_token_) continue;  // no unknown token: the char is dropped
    if (unk_pending && fuse_unk_) {
      unk_len += char_len;
      continue;
    }
    if (unk_pending) add(unk_id, unk_len);
    const auto id = vocab_.Find(*unk_token_);
    if (!id) throw std::runtime_error(where_ + ".unk_token: '" + *unk_token_ + "' is not in the vocab");
    unk_pending = true;
    unk_id = *id;
    unk_len = char_len;
  }
  if (unk_pending) add(unk_id, unk_len);
  if (symbols.empty()) return;
  symbols.back().next = -1;

  // Merge as HF's Word::merge_all: a queue of candidate pairs; an entry is
  // stale when its left symbol was merged away or its pair now makes a
  // different token.
  std::vector<QueuedMerge>& heap = scratch.heap;
  heap.clear();
  for (size_t i = 0; i + 1 < symbols.size(); ++i) {
    if (const MergeResult* m = FindMerge(symbols[i].id, symbols[i + 1].id)) {
      heap.push_back({m->rank, static_cast<int32_t>(i), m->new_id});
    }
  }
  std::make_heap(heap.begin(), heap.end());
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end());
    const QueuedMerge top = heap.back();
    heap.pop_back();
    Symbol& left = symbols[top.pos];
    if (left.len == 0 || left.next < 0) continue;
    const int32_t right_pos = left.next;
    const Symbol right = symbols[right_pos];
    const MergeResult* current = FindMerge(left.id, right.id);
    if (current == nullptr || current->new_id != top.new_id) continue;
    left.id = top.new_id;
    left.len += right.len;
    left.next = right.next;
    symbols[right_pos].len = 0;
    if (right.next >= 0) symbols[right.next].prev = top.pos;
    if (left.prev >= 0) {
      if (const MergeResult* m = FindMerge(symbols[left.prev].id, left.id)) {
        heap.push_back({m->rank, left.prev, m->new_id});
        std::push_heap(heap.begin(), heap.end());
      }
    }
    if (left.next >= 0) {
      if (const MergeResult* m = FindMerge(left.id, symbols[left.next].id)) {
        heap.push_back({m->rank, top.pos, m->new_id});
        std::push_heap(heap.begin(), heap.end());
      }
    }
  }

  uint32_t offset = 0;
  for (const Symbol& symbol : symbols) {
    if (symbol.len == 0) continue;
    out->push_back({symbol.id, offset, offset + symbol.len});
    offset += symbol.len;
  }
}

}  // namespace fasterbert::text
