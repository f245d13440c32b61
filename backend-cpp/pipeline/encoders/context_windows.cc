#include "pipeline/encoders/context_windows.h"

#include <algorithm>

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

size_t EncodeContextWindow(const text::Encoding& question, const text::Encoding& context,
                           ContextRange range, int32_t cls_id, int32_t sep_id,
                           text::Encoding* out) {
  out->Clear();
  auto push = [&](int32_t id, int32_t type, std::pair<uint32_t, uint32_t> offsets) {
    out->ids.push_back(id);
    out->type_ids.push_back(type);
    out->attention_mask.push_back(1);
    out->offsets.push_back(offsets);
  };
  push(cls_id, 0, {0, 0});
  for (size_t i = 1; i + 1 < question.size(); ++i) push(question.ids[i], 0, {0, 0});
  push(sep_id, 0, {0, 0});
  const size_t first_context = out->size();
  // Context token i sits at i + 1 in its encoding, after [CLS].
  for (size_t i = range.begin; i < range.end; ++i) {
    push(context.ids[i + 1], 1, context.offsets[i + 1]);
  }
  push(sep_id, 1, {0, 0});
  return first_context;
}

}  // namespace fasterbert
