// A small JSON reader (RFC 8259), enough for HF tokenizer.json files: the
// whole document becomes a tree of JsonValue. Strings are UTF-8; \u escapes
// are decoded, surrogate pairs joined, and a lone surrogate is an error, as
// are invalid UTF-8 in the input and nesting deeper than 256 levels. Objects
// keep every member in order; Find returns the last of duplicate keys.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fasterbert::text {

class JsonError : public std::runtime_error {
 public:
  explicit JsonError(const std::string& message) : std::runtime_error(message) {}
};

class JsonValue {
 public:
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };

  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::kNull; }
  bool is_bool() const { return type_ == Type::kBool; }
  bool is_number() const { return type_ == Type::kNumber; }
  bool is_string() const { return type_ == Type::kString; }
  bool is_array() const { return type_ == Type::kArray; }
  bool is_object() const { return type_ == Type::kObject; }

  bool bool_value() const { return bool_; }
  double number() const { return number_; }
  // True when the number was written as an integer (no fraction or
  // exponent) that fits in int64; its value is then integer().
  bool is_integer() const { return type_ == Type::kNumber && is_integer_; }
  int64_t integer() const { return integer_; }
  // A number as written in the document (e.g. for parsing it as another
  // reader would, see serde_f64.h).
  const std::string& number_literal() const { return string_; }
  const std::string& string() const { return string_; }
  const std::vector<JsonValue>& array() const { return array_; }
  // Members in document order.
  const std::vector<std::pair<std::string, JsonValue>>& object() const { return object_; }
  // The member named `key`, or nullptr (also when this is not an object).
  const JsonValue* Find(std::string_view key) const;

  static const char* TypeName(Type type);

 private:
  friend class JsonParser;
  Type type_ = Type::kNull;
  bool bool_ = false;
  bool is_integer_ = false;
  double number_ = 0;
  int64_t integer_ = 0;
  std::string string_;
  std::vector<JsonValue> array_;
  std::vector<std::pair<std::string, JsonValue>> object_;
};

// Parses a whole document (surrounding whitespace allowed). Throws JsonError
// with the byte offset of the problem; `name` (e.g. the file path) starts
// the message.
JsonValue ParseJson(std::string_view text, const std::string& name);

}  // namespace fasterbert::text
