#include "pipeline/encoders/context_windows.h"

#include <algorithm>
#include <cstddef>

namespace fasterbert {

std::vector<ContextRange> ContextWindowRanges(size_t context_tokens, size_t room, size_t stride) {
  std::vector<ContextRange> ranges;
  for (size_t begin = 0;; begin += room - stride) {
    const size_t end = std::min(begin + room, context_tokens);
    ranges.push_back({begin, end});
    if (end >= context_tokens) break;
  }
  return ranges;
}

size_t EncodeContextWindow(const std::vector<text::Token>& question,
                           const std::vector<text::Token>& context, ContextRange range,
                           const text::SpecialTemplate& specials, text::Encoding* out,
                           const std::vector<uint32_t>* context_words) {
  out->Clear();
  auto push = [&](int32_t id, int32_t type, std::pair<uint32_t, uint32_t> offsets) {
    out->ids.push_back(id);
    out->type_ids.push_back(type);
    out->attention_mask.push_back(1);
    out->offsets.push_back(offsets);
  };
  auto push_specials = [&](const text::SpecialTokens& tokens) {
    for (size_t i = 0; i < tokens.size(); ++i) push(tokens.ids[i], tokens.type_ids[i], {0, 0});
  };
  push_specials(specials.pair_before);
  for (const text::Token& t : question) push(t.id, specials.pair_a_type_id, {0, 0});
  push_specials(specials.pair_between);
  const size_t first_context = out->size();
  for (size_t i = range.begin; i < range.end; ++i) {
    push(context[i].id, specials.pair_b_type_id, {context[i].start, context[i].end});
  }
  push_specials(specials.pair_after);
  if (context_words != nullptr) {
    out->words.assign(out->size(), text::Encoding::kNoWord);
    std::copy(context_words->begin() + static_cast<std::ptrdiff_t>(range.begin),
              context_words->begin() + static_cast<std::ptrdiff_t>(range.end),
              out->words.begin() + static_cast<std::ptrdiff_t>(first_context));
  }
  return first_context;
}

}  // namespace fasterbert
