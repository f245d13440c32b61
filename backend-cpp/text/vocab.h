// A WordPiece vocabulary read from a vocab.txt: one token per line, the id is
// the line number. Read as HF's WordPiece::read_file does: trailing
// whitespace is trimmed, and a token that appears twice keeps its last id.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace fasterbert::text {

class Vocab {
 public:
  // Throws std::runtime_error naming the file if it cannot be read or is
  // not valid UTF-8.
  static Vocab FromFile(const std::string& path);
  // Same parsing over the bytes of a vocab file; `name` is used in errors.
  static Vocab FromString(std::string_view contents, const std::string& name);
  // A vocab given as (token, id) pairs, as in a tokenizer.json; a token that
  // appears twice keeps its last id. Throws std::runtime_error naming
  // `name` on a negative id or a token that is not valid UTF-8.
  static Vocab FromPairs(const std::vector<std::pair<std::string, int32_t>>& pairs,
                         const std::string& name);

  std::optional<int32_t> Find(std::string_view token) const {
    const auto it = ids_.find(token);
    if (it == ids_.end()) return std::nullopt;
    return it->second;
  }

  // Token -> id; the views point into this object's own storage.
  const std::unordered_map<std::string_view, int32_t>& ids() const { return ids_; }
  // Lines of the vocab file (for FromPairs: the largest id plus one).
  size_t line_count() const { return line_count_; }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  // On the heap, so the views into it stay valid when the Vocab moves.
  std::unique_ptr<const std::string> storage_;
  std::unordered_map<std::string_view, int32_t> ids_;
  size_t line_count_ = 0;
};

}  // namespace fasterbert::text
