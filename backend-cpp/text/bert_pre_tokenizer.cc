#include "text/bert_pre_tokenizer.h"

#include "text/unicode_properties.h"

namespace fasterbert::text {

void BertPreTokenize(const std::vector<NormalizedChar>& chars, std::vector<WordSpan>* words) {
  words->clear();
  constexpr uint32_t kNone = UINT32_MAX;
  uint32_t word_begin = kNone;
  const auto n = static_cast<uint32_t>(chars.size());
  for (uint32_t i = 0; i < n; ++i) {
    const uint8_t flags = UnicodeFlags(chars[i].cp);
    if (flags & (unicode_data::kWhitespace | unicode_data::kPunctuation)) {
      if (word_begin != kNone) words->push_back({word_begin, i});
      word_begin = kNone;
      if (flags & unicode_data::kPunctuation) words->push_back({i, i + 1});
    } else if (word_begin == kNone) {
      word_begin = i;
    }
  }
  if (word_begin != kNone) words->push_back({word_begin, n});
}

}  // namespace fasterbert::text
