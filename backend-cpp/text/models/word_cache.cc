#include "text/models/word_cache.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <utility>

namespace fasterbert::text {
namespace {

// Words up to kShortBytes of up to kShortTokens tokens sit inline in an
// open-addressed table of HF's capacity (10,000 words; when full it starts
// again empty), so no two words push each other out. A slot is one cache
// line, and a probe walks an array of 32-bit hash tags (64 KB, stays in L2)
// before it reads a slot: a lookup costs about one line from memory.
constexpr size_t kShortSlots = 16384;
constexpr size_t kShortWords = 10000;  // at most 61% full
constexpr size_t kShortBytes = 22;
constexpr size_t kShortTokens = 6;
// Longer words (HF caches words up to 256 bytes: a CJK run is one long
// word) and words of more tokens go to a two-way set-associative table
// (the newest word of a set in way 0) whose buffers are reused.
constexpr size_t kLongSlots = 8192;
constexpr size_t kLongBytes = 256;

// 96% of the words of the XLM-R bench texts fit (22 bytes, 6 tokens).
struct alignas(64) ShortWord {
  uint32_t owner;
  uint8_t length, count;
  char word[kShortBytes];  // zero past length: compared whole
  uint8_t starts[kShortTokens], ends[kShortTokens];
  int32_t ids[kShortTokens];
};
static_assert(sizeof(ShortWord) == 64, "a short word is one cache line");
struct LongWord {
  uint32_t owner = 0;  // 0: empty
  uint32_t hash = 0;
  std::string word;
  std::vector<ModelToken> tokens;
};

// This thread's tables, made on first use (a large thread_local array
// would take static TLS, which a dlopen'ed backend may not get).
struct Tables {
  // tags[i]: 0 when short_words[i] is empty, else its word's TagOf(hash).
  std::vector<uint32_t> tags = std::vector<uint32_t>(kShortSlots);
  std::vector<ShortWord> short_words = std::vector<ShortWord>(kShortSlots);
  size_t short_count = 0;
  std::vector<LongWord> long_words = std::vector<LongWord>(kLongSlots);
};
Tables& ThreadTables() {
  thread_local Tables tables;
  return tables;
}

size_t SlotOf(uint32_t hash, size_t slots) { return (hash ^ (hash >> 15)) & (slots - 1); }
uint32_t TagOf(uint32_t hash) { return hash == 0 ? 1 : hash; }

// `word` (at most kShortBytes) zero-padded to a slot's word field, so a
// compare is a fixed-size one the compiler inlines.
void Pad(std::string_view word, char (&out)[kShortBytes]) {
  std::memset(out, 0, kShortBytes);
  std::memcpy(out, word.data(), word.size());
}

}  // namespace

WordCache::Key WordCache::MakeKey(std::string_view word) {
  // Eight bytes per multiply (a byte-at-a-time FNV showed in profiles: each
  // word is hashed for Prefetch and again for Find); the multipliers are odd
  // 64-bit constants with well-mixed bits.
  const auto* bytes = reinterpret_cast<const uint8_t*>(word.data());
  const size_t n = word.size();
  uint64_t hash = 0x9E3779B97F4A7C15ull ^ n;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t chunk;
    std::memcpy(&chunk, bytes + i, 8);
    hash = (hash ^ chunk) * 0xBF58476D1CE4E5B9ull;
    hash ^= hash >> 29;
  }
  // The last 1-7 bytes by (overlapping) loads, not one at a time; with the
  // length in the seed, different words still give different inputs.
  const size_t rest = n - i;
  uint64_t tail = 0;
  if (rest > 0 && n >= 8) {
    std::memcpy(&tail, bytes + n - 8, 8);
  } else if (rest >= 4) {
    uint32_t low, high;
    std::memcpy(&low, bytes, 4);
    std::memcpy(&high, bytes + n - 4, 4);
    tail = (uint64_t{low} << 32) | high;
  } else if (rest > 0) {
    tail = (uint64_t{bytes[0]} << 16) | (uint64_t{bytes[rest / 2]} << 8) | bytes[n - 1];
  }
  hash = (hash ^ tail) * 0x94D049BB133111EBull;
  hash ^= hash >> 32;
  return {word, static_cast<uint32_t>(hash)};
}

WordCache::WordCache() {
  // 32 bits keep a slot in one line; 4 billion models per process is
  // beyond any backend.
  static std::atomic<uint32_t> next_owner{1};
  owner_ = next_owner.fetch_add(1);
}

bool WordCache::Find(const Key& key, std::vector<ModelToken>* out) const {
  const std::string_view word = key.word;
  if (word.empty() || word.size() > kLongBytes) return false;
  Tables& t = ThreadTables();
  if (word.size() <= kShortBytes) {
    const uint32_t tag = TagOf(key.hash);
    char padded[kShortBytes];
    bool is_padded = false;
    for (size_t i = SlotOf(key.hash, kShortSlots);; i = (i + 1) & (kShortSlots - 1)) {
      const uint32_t slot_tag = t.tags[i];
      if (slot_tag == 0) break;
      if (slot_tag != tag) continue;
      const ShortWord& slot = t.short_words[i];
      if (slot.owner != owner_ || slot.length != word.size()) continue;
      if (!is_padded) {
        Pad(word, padded);
        is_padded = true;
      }
      if (std::memcmp(slot.word, padded, kShortBytes) != 0) continue;
      for (size_t k = 0; k < slot.count; ++k) {
        out->push_back({slot.ids[k], slot.starts[k], slot.ends[k]});
      }
      return true;
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

void WordCache::Prefetch(const Key& key) const {
  if (key.word.empty() || key.word.size() > kShortBytes) return;
  const Tables& t = ThreadTables();
  const size_t i = SlotOf(key.hash, kShortSlots);
  __builtin_prefetch(&t.tags[i]);
  __builtin_prefetch(&t.short_words[i]);
}

void WordCache::Store(const Key& key, const std::vector<ModelToken>& tokens, size_t first) const {
  const std::string_view word = key.word;
  if (word.empty() || word.size() > kLongBytes) return;
  Tables& t = ThreadTables();
  const size_t count = tokens.size() - first;
  if (word.size() <= kShortBytes && count <= kShortTokens) {
    if (t.short_count >= kShortWords) {
      // The tags alone say what is empty: the slots are not read again
      // before they are written.
      std::fill(t.tags.begin(), t.tags.end(), 0u);
      t.short_count = 0;
    }
    size_t i = SlotOf(key.hash, kShortSlots);
    while (t.tags[i] != 0) i = (i + 1) & (kShortSlots - 1);
    ++t.short_count;
    t.tags[i] = TagOf(key.hash);
    ShortWord& slot = t.short_words[i];
    slot.owner = owner_;
    slot.length = static_cast<uint8_t>(word.size());
    slot.count = static_cast<uint8_t>(count);
    Pad(word, slot.word);
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
