// The special tokens a post-processor puts around one sequence or a pair
// (read by post_processors.h; BERT's shape of it: bert_template.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace fasterbert::text {

// What a post-processor adds around the sequences: special ids with their
// type ids, and the type id of each sequence's own tokens.
struct SpecialTokens {
  std::vector<int32_t> ids;
  std::vector<int32_t> type_ids;
  size_t size() const { return ids.size(); }
};
struct SpecialTemplate {
  SpecialTokens single_before, single_after;                // before A, after A
  SpecialTokens pair_before, pair_between, pair_after;      // before A, A..B, after B
  int32_t single_type_id = 0, pair_a_type_id = 0, pair_b_type_id = 1;
};

}  // namespace fasterbert::text
