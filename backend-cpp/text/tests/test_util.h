// Helpers shared by the tokenizer tests.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "text/bert_normalizer.h"
#include "text/utf8.h"

namespace fasterbert::text::testing {

// A vocab file written to a fresh temporary path, removed on destruction.
class TempVocab {
 public:
  explicit TempVocab(const std::vector<std::string>& tokens, const std::string& tail = "\n") {
    const char* dir = std::getenv("TMPDIR");
    std::string pattern = std::string(dir ? dir : "/tmp") + "/fasterbert_vocab_XXXXXX";
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    const int fd = mkstemp(buffer.data());
    if (fd < 0) std::abort();
    close(fd);
    path_ = buffer.data();
    std::ofstream out(path_, std::ios::binary);
    for (size_t i = 0; i < tokens.size(); ++i) {
      out << tokens[i] << (i + 1 < tokens.size() ? "\n" : tail);
    }
  }
  ~TempVocab() { std::remove(path_.c_str()); }
  TempVocab(const TempVocab&) = delete;
  TempVocab& operator=(const TempVocab&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The UTF-8 text of normalized chars.
inline std::string TextOf(const std::vector<NormalizedChar>& chars) {
  std::string out;
  for (const auto& c : chars) AppendUtf8(c.cp, &out);
  return out;
}

}  // namespace fasterbert::text::testing
