// Reads a request's BYTES text input (shape [n, 1]: n rows) into views of
// its strings.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "triton/triton_backend_api.h"

namespace fasterbert::triton {

struct TextInput {
  std::vector<std::string_view> rows;  // point into Triton's buffer or `joined`
  std::string joined;                  // only when Triton split the input in several buffers
};

// How a request lays out its strings: one per batch row ([batch, 1]), or a
// list in a request of one batch row ([1, n]: reranking's passages).
enum class TextLayout { kOnePerRow, kListInOneRow };

// kListInOneRow: the most strings a request's list may hold, checked from
// the shape before any string is read (a [1, 16000000] request of empty
// strings costs nothing). `what` and `option` name them in the error.
struct ListLimit {
  size_t max_strings = 0;  // 0: no limit
  std::string what = "strings";
  std::string option;
};

// Returns an empty string on success, else the error for this request only.
std::string ReadTextInput(TRITONBACKEND_Request* request, const std::string& input_name,
                          TextInput* out, TextLayout layout = TextLayout::kOnePerRow,
                          const ListLimit& list_limit = {});

}  // namespace fasterbert::triton
