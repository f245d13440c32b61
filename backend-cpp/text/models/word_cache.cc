#include "text/models/word_cache.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <utility>

namespace fasterbert::text {
namespace {

// Words up to kShortBytes of up to kShortTokens tokens sit inline in an
// open-addressed table of HF's capacity (10,000 words; when full it starts
// again empty), so no two words push each other out.
constexpr size_t kShortSlots = 16384;
constexpr size_t kShortWords = 10000;  // at most 61% full
constexpr size_t kShortBytes = 30;
constexpr size_t kShortTokens = 8;
// Longer words (HF caches words up to 256 bytes: a CJK run is one long
// word) and words of more tokens go to a two-way set-associative table
// (the newest word of a set in way 0) whose buffers are reused.
constexpr size_t kLongSlots = 8192;
constexpr size_t kLongBytes = 256;

struct ShortWord {
  uint64_t owner = 0;  // 0: empty
  uint32_t hash = 0;
  uint8_t length = 0, count = 0;
  char word[kShortBytes];
  int32_t ids[kShortTokens];
  uint8_t starts[kShortTokens], ends[kShortTokens];
};
struct LongWord {
  uint64_t owner = 0;  // 0: empty
  uint32_t hash = 0;
  std::string word;
  std::vector<ModelToken> tokens;
};

// This thread's tables, made on first use (a large thread_local array
// would take static TLS, which a dlopen'ed backend may not get).
struct Tables {
  std::vector<ShortWord> short_words = std::vector<ShortWord>(kShortSlots);
  size_t short_count = 0;
  std::vector<LongWord> long_words = std::vector<LongWord>(kLongSlots);
};
Tables& ThreadTables() {
  thread_local Tables tables;
  return tables;
}

size_t SlotOf(uint32_t hash, size_t slots) { return (hash ^ (hash >> 15)) & (slots - 1); }

}  // namespace

WordCache::Key WordCache::MakeKey(std::string_view word) {
  uint32_t hash = 2166136261u;  // FNV-1a: words are a few bytes
  for (const char c : word) hash = (hash ^ static_cast<uint8_t>(c)) * 16777619u;
  return {word, hash};
}

WordCache::WordCache() {
  static std::atomic<uint64_t> next_owner{1};
  owner_ = next_owner.fetch_add(1);
}

bool WordCache::Find(const Key& key, std::vector<ModelToken>* out) const {
  const std::string_view word = key.word;
  if (word.empty() || word.size() > kLongBytes) return false;
  Tables& t = ThreadTables();
  if (word.size() <= kShortBytes) {
    for (size_t i = SlotOf(key.hash, kShortSlots);; i = (i + 1) & (kShortSlots - 1)) {
      const ShortWord& slot = t.short_words[i];
      if (slot.owner == 0) break;
      if (slot.owner == owner_ && slot.hash == key.hash && slot.length == word.size() &&
          std::memcmp(slot.word, word.data(), word.size()) == 0) {
        for (size_t k = 0; k < slot.count; ++k) {
          out->push_back({slot.ids[k], slot.starts[k], slot.ends[k]});
        }
        return true;
      }
    }
  }
  const LongWord* set = &t.long_words[SlotOf(key.hash, kLongSlots) & ~size_t{1}];
  for (int way = 0; way < 2; ++way) {
    const LongWord& slot = set[way];
    if (slot.owner == owner_ && slot.hash == key.hash && slot.word == word) {
      out->insert(out->end(), slot.tokens.begin(), slot.tokens.end());
      return true;
    }
  }
  return false;
}

void WordCache::Store(const Key& key, const std::vector<ModelToken>& tokens, size_t first) const {
  const std::string_view word = key.word;
  if (word.empty() || word.size() > kLongBytes) return;
  Tables& t = ThreadTables();
  const size_t count = tokens.size() - first;
  if (word.size() <= kShortBytes && count <= kShortTokens) {
    if (t.short_count >= kShortWords) {
      std::fill(t.short_words.begin(), t.short_words.end(), ShortWord{});
      t.short_count = 0;
    }
    size_t i = SlotOf(key.hash, kShortSlots);
    while (t.short_words[i].owner != 0) i = (i + 1) & (kShortSlots - 1);
    ++t.short_count;
    ShortWord& slot = t.short_words[i];
    slot.owner = owner_;
    slot.hash = key.hash;
    slot.length = static_cast<uint8_t>(word.size());
    slot.count = static_cast<uint8_t>(count);
    std::memcpy(slot.word, word.data(), word.size());
    for (size_t k = 0; k < count; ++k) {
      const ModelToken& token = tokens[first + k];
      slot.ids[k] = token.id;
      slot.starts[k] = static_cast<uint8_t>(token.start);
      slot.ends[k] = static_cast<uint8_t>(token.end);
    }
    return;
  }
  LongWord* set = &t.long_words[SlotOf(key.hash, kLongSlots) & ~size_t{1}];
  std::swap(set[0], set[1]);  // way 1 keeps the old way 0; its buffers get reused
  LongWord& slot = set[0];
  slot.owner = owner_;
  slot.hash = key.hash;
  slot.word.assign(word.data(), word.size());
  slot.tokens.assign(tokens.begin() + static_cast<std::ptrdiff_t>(first), tokens.end());
}

}  // namespace fasterbert::text
