// Exceptions for bad tokenizer input. Both are std::runtime_error so callers
// that do not care about the kind can catch one type; the backend maps them
// to a per-request error instead of failing the whole batch.
#pragma once

#include <stdexcept>
#include <string>

namespace fasterbert::text {

// The text cannot be tokenized at all (e.g. it is not valid UTF-8).
class InvalidTextError : public std::runtime_error {
 public:
  explicit InvalidTextError(const std::string& message) : std::runtime_error(message) {}
};

// The text does not fit in max_length under the chosen truncation strategy.
class TextTooLongError : public std::runtime_error {
 public:
  explicit TextTooLongError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace fasterbert::text
