// A tokenizer.json {"Regex": ...} pattern compiled for Split and Replace; a
// pattern outside text/regex.h's subset fails the load at its JSON path.
#pragma once

#include <memory>
#include <string>

#include "text/json_reader.h"
#include "text/regex.h"

namespace fasterbert::text {

inline std::unique_ptr<Regex> CompileRegex(const JsonReader& r, const std::string& pattern,
                                           const std::string& path) {
  try {
    return std::make_unique<Regex>(pattern);
  } catch (const RegexSyntaxError& e) {
    r.Fail(path, "regex '" + pattern + "' is not supported: " + e.what() +
                     " (supported: literals and escapes, ., [...] [^...], \\s \\S \\d \\D \\w \\W, "
                     "\\p{L M N P S Z} \\P{..}, (...) (?:...) (?i:...) (?=...) (?!...), |, "
                     "* + ? {n} {n,} {n,m} greedy or lazy, ^ $)");
  }
}

}  // namespace fasterbert::text
