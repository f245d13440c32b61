// HF's BertNormalizer with alignment tracking: clean text, space out CJK
// ideographs, strip accents (NFD, then drop nonspacing marks), lowercase.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace fasterbert::text {

// One character of normalized text and the byte range [start, end) of the
// original text it comes from (HF calls this the alignment).
struct NormalizedChar {
  char32_t cp;
  uint32_t start;
  uint32_t end;
};

struct BertNormalizerOptions {
  bool clean_text = true;
  bool handle_chinese_chars = true;
  bool strip_accents = true;  // already resolved (HF: follows lowercase when unset)
  bool lowercase = true;
};

// Per-thread buffers reused across calls, so normalizing does not allocate
// once they have grown.
struct NormalizerScratch {
  struct Decomposed {
    char32_t cp;
    uint8_t ccc;
    bool added;  // not the first char of its source's decomposition
  };
  std::vector<NormalizedChar> stage;
  std::vector<Decomposed> decomposed;
};

class BertNormalizer {
 public:
  explicit BertNormalizer(const BertNormalizerOptions& options) : options_(options) {}

  // Replaces *out with the normalization of text[begin, end), which must be
  // valid UTF-8; alignments are byte offsets into `text`.
  void Normalize(std::string_view text, size_t begin, size_t end, NormalizerScratch* scratch,
                 std::vector<NormalizedChar>* out) const;

  const BertNormalizerOptions& options() const { return options_; }

 private:
  void NormalizeAscii(std::string_view text, size_t begin, size_t end,
                      std::vector<NormalizedChar>* out) const;
  void StripAccents(const std::vector<NormalizedChar>& in, size_t begin, NormalizerScratch* scratch,
                    std::vector<NormalizedChar>* out) const;
  void PushLowercased(char32_t cp, uint32_t start, uint32_t end,
                      std::vector<NormalizedChar>* out) const;

  BertNormalizerOptions options_;
};

}  // namespace fasterbert::text
