// Field access into a parsed tokenizer.json whose errors name the file and
// the field's JSON path ("normalizer.normalizers[1].type").
#pragma once

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "text/json.h"

namespace fasterbert::text {

class JsonReader {
 public:
  explicit JsonReader(std::string name) : name_(std::move(name)) {}
  const std::string& name() const { return name_; }

  [[noreturn]] void Fail(const std::string& path, const std::string& what) const {
    throw std::runtime_error("tokenizer.json '" + name_ + "': " + path + ": " + what);
  }
  static std::string Join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }
  static std::string Index(const std::string& path, size_t i) {
    return path + "[" + std::to_string(i) + "]";
  }
  const JsonValue& Get(const JsonValue& object, const std::string& path,
                       const std::string& key) const {
    const JsonValue* v = object.Find(key);
    if (v == nullptr) Fail(Join(path, key), "missing");
    return *v;
  }
  // nullptr when missing or null.
  const JsonValue* Optional(const JsonValue& object, const std::string& key) const {
    const JsonValue* v = object.Find(key);
    return v == nullptr || v->is_null() ? nullptr : v;
  }
  void Expect(const JsonValue& v, JsonValue::Type type, const std::string& path) const {
    if (v.type() != type) {
      Fail(path, std::string("expected ") + JsonValue::TypeName(type) + ", got " +
                     JsonValue::TypeName(v.type()));
    }
  }
  const std::string& String(const JsonValue& object, const std::string& path,
                            const std::string& key) const {
    const JsonValue& v = Get(object, path, key);
    Expect(v, JsonValue::Type::kString, Join(path, key));
    return v.string();
  }
  const std::vector<JsonValue>& Array(const JsonValue& object, const std::string& path,
                                      const std::string& key) const {
    const JsonValue& v = Get(object, path, key);
    Expect(v, JsonValue::Type::kArray, Join(path, key));
    return v.array();
  }
  // `fallback` when missing; null is an error, as for HF's plain bool fields.
  bool Bool(const JsonValue& object, const std::string& path, const std::string& key,
            bool fallback) const {
    const JsonValue* v = object.Find(key);
    if (v == nullptr) return fallback;
    Expect(*v, JsonValue::Type::kBool, Join(path, key));
    return v->bool_value();
  }
  int64_t Integer(const JsonValue& v, const std::string& path, int64_t lo, int64_t hi) const {
    if (!v.is_integer() || v.integer() < lo || v.integer() > hi) {
      Fail(path, "expected an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    }
    return v.integer();
  }
  // The object's "type" member, which must be one of `supported`.
  std::string Type(const JsonValue& object, const std::string& path,
                   const std::vector<std::string>& supported) const {
    Expect(object, JsonValue::Type::kObject, path);
    const std::string& type = String(object, path, "type");
    for (const std::string& s : supported) {
      if (s == type) return type;
    }
    std::string list;
    for (const std::string& s : supported) list += (list.empty() ? "" : ", ") + s;
    Fail(Join(path, "type"), "'" + type + "' is not supported (supported: " + list + ")");
  }

 private:
  std::string name_;
};

// How many ids a tokenizer.json may use: its vocab entries and its added
// tokens. Files number their tokens densely, and tables are sized by the
// largest id, so an id past this (a broken or hostile file) is refused at
// load rather than sizing a table to it.
inline int64_t TokenIdLimit(const JsonValue& root) {
  size_t entries = 0;
  if (const JsonValue* model = root.Find("model"); model != nullptr && model->is_object()) {
    if (const JsonValue* vocab = model->Find("vocab")) {
      entries += vocab->is_array() ? vocab->array().size() : vocab->is_object() ? vocab->object().size() : 0;
    }
  }
  if (const JsonValue* added = root.Find("added_tokens"); added != nullptr && added->is_array()) {
    entries += added->array().size();
  }
  return std::min<int64_t>(static_cast<int64_t>(entries), INT32_MAX);
}

}  // namespace fasterbert::text
