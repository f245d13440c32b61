#include "text/vocab.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "text/unicode_properties.h"
#include "text/utf8.h"

namespace fasterbert::text {
namespace {

// Length of `line` without its trailing White_Space (Rust's str::trim_end).
size_t TrimEnd(std::string_view line) {
  size_t end = line.size();
  while (end > 0) {
    size_t start = end - 1;
    while (start > 0 && (static_cast<unsigned char>(line[start]) & 0xC0) == 0x80) --start;
    char32_t cp;
    DecodeUtf8(line, start, &cp);
    if (!(UnicodeFlags(cp) & unicode_data::kWhitespace)) break;
    end = start;
  }
  return end;
}

}  // namespace

Vocab Vocab::FromFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open vocab file '" + path + "'");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw std::runtime_error("cannot read vocab file '" + path + "'");
  return FromString(buffer.str(), path);
}

Vocab Vocab::FromString(std::string_view contents, const std::string& name) {
  Vocab vocab;
  vocab.name_ = name;
  vocab.storage_ = std::make_unique<const std::string>(contents);
  const std::string_view all(*vocab.storage_);

  size_t pos = 0;
  int32_t index = 0;
  // Like Rust's BufRead::lines: split on '\n', no empty line after a final '\n'.
  while (pos < all.size()) {
    size_t newline = all.find('\n', pos);
    if (newline == std::string_view::npos) newline = all.size();
    std::string_view line = all.substr(pos, newline - pos);
    if (const auto bad = FindInvalidUtf8(line)) {
      throw std::runtime_error("vocab file '" + name + "' line " + std::to_string(index + 1) +
                               " is not valid UTF-8");
    }
    line = line.substr(0, TrimEnd(line));
    vocab.ids_[line] = index;  // a later duplicate wins, as in HF's HashMap::insert
    ++index;
    pos = newline + 1;
  }
  vocab.line_count_ = static_cast<size_t>(index);
  return vocab;
}

Vocab Vocab::FromPairs(const std::vector<std::pair<std::string, int32_t>>& pairs,
                       const std::string& name) {
  Vocab vocab;
  vocab.name_ = name;
  // One buffer holds every token, so that the map's views stay valid.
  size_t total = 0;
  for (const auto& [token, id] : pairs) total += token.size();
  std::string storage;
  storage.reserve(total);
  for (const auto& [token, id] : pairs) {
    if (id < 0) {
      throw std::runtime_error("vocab of '" + name + "': token '" + token + "' has negative id " +
                               std::to_string(id));
    }
    if (FindInvalidUtf8(token)) {
      throw std::runtime_error("vocab of '" + name + "': a token is not valid UTF-8");
    }
    storage += token;
  }
  vocab.storage_ = std::make_unique<const std::string>(std::move(storage));
  const std::string_view all(*vocab.storage_);
  size_t pos = 0;
  int32_t max_id = -1;
  for (const auto& [token, id] : pairs) {
    vocab.ids_[all.substr(pos, token.size())] = id;
    pos += token.size();
    max_id = std::max(max_id, id);
  }
  vocab.line_count_ = static_cast<size_t>(max_id + 1);
  return vocab;
}

}  // namespace fasterbert::text
