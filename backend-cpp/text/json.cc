#include "text/json.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "text/utf8.h"

namespace fasterbert::text {

const JsonValue* JsonValue::Find(std::string_view key) const {
  if (type_ != Type::kObject) return nullptr;
  for (auto it = object_.rbegin(); it != object_.rend(); ++it) {
    if (it->first == key) return &it->second;
  }
  return nullptr;
}

const char* JsonValue::TypeName(Type type) {
  switch (type) {
    case Type::kNull: return "null";
    case Type::kBool: return "a boolean";
    case Type::kNumber: return "a number";
    case Type::kString: return "a string";
    case Type::kArray: return "an array";
    case Type::kObject: return "an object";
  }
  return "?";
}

class JsonParser {
 public:
  JsonParser(std::string_view text, const std::string& name) : text_(text), name_(name) {}

  JsonValue Document() {
    if (const auto bad = FindInvalidUtf8(text_)) Fail("invalid UTF-8", *bad);
    SkipSpace();
    JsonValue value = Value(0);
    SkipSpace();
    if (pos_ != text_.size()) Fail("unexpected text after the document", pos_);
    return value;
  }

 private:
  static constexpr int kMaxDepth = 256;

  [[noreturn]] void Fail(const std::string& what, size_t at) const {
    throw JsonError(name_ + ": invalid JSON at byte " + std::to_string(at) + ": " + what);
  }

  void SkipSpace() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  char Peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }

  void Expect(char c) {
    if (Peek() != c || pos_ >= text_.size()) Fail(std::string("expected '") + c + "'", pos_);
    ++pos_;
  }

  void Literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) Fail("unknown literal", pos_);
    pos_ += word.size();
  }

  JsonValue Value(int depth) {
    if (depth > kMaxDepth) Fail("nested too deeply", pos_);
    JsonValue v;
    if (pos_ >= text_.size()) Fail("unexpected end of input", pos_);
    switch (text_[pos_]) {
      case 'n':
        Literal("null");
        v.type_ = JsonValue::Type::kNull;
        return v;
      case 't':
        Literal("true");
        v.type_ = JsonValue::Type::kBool;
        v.bool_ = true;
        return v;
      case 'f':
        Literal("false");
        v.type_ = JsonValue::Type::kBool;
        v.bool_ = false;
        return v;
      case '"':
        v.type_ = JsonValue::Type::kString;
        v.string_ = String();
        return v;
      case '[':
        v.type_ = JsonValue::Type::kArray;
        ++pos_;
        SkipSpace();
        if (Peek() == ']') {
          ++pos_;
          return v;
        }
        while (true) {
          SkipSpace();
          v.array_.push_back(Value(depth + 1));
          SkipSpace();
          if (Peek() == ',') {
            ++pos_;
            continue;
          }
          Expect(']');
          return v;
        }
      case '{':
        v.type_ = JsonValue::Type::kObject;
        ++pos_;
        SkipSpace();
        if (Peek() == '}') {
          ++pos_;
          return v;
        }
        while (true) {
          SkipSpace();
          if (Peek() != '"') Fail("expected a string key", pos_);
          std::string key = String();
          SkipSpace();
          Expect(':');
          SkipSpace();
          v.object_.emplace_back(std::move(key), Value(depth + 1));
          SkipSpace();
          if (Peek() == ',') {
            ++pos_;
            continue;
          }
          Expect('}');
          return v;
        }
      default:
        if (text_[pos_] == '-' || (text_[pos_] >= '0' && text_[pos_] <= '9')) return Number();
        Fail("unexpected character", pos_);
    }
  }

  JsonValue Number() {
    const size_t start = pos_;
    auto digits = [this] {
      const size_t from = pos_;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
      return pos_ - from;
    };
    if (Peek() == '-') ++pos_;
    if (Peek() == '0') {
      ++pos_;
    } else if (digits() == 0) {
      Fail("expected a digit", pos_);
    }
    bool integer = true;
    if (Peek() == '.') {
      ++pos_;
      if (digits() == 0) Fail("expected a digit after '.'", pos_);
      integer = false;
    }
    if (Peek() == 'e' || Peek() == 'E') {
      ++pos_;
      if (Peek() == '+' || Peek() == '-') ++pos_;
      if (digits() == 0) Fail("expected an exponent", pos_);
      integer = false;
    }
    JsonValue v;
    v.type_ = JsonValue::Type::kNumber;
    const std::string literal(text_.substr(start, pos_ - start));
    v.number_ = std::strtod(literal.c_str(), nullptr);
    v.string_ = literal;  // number_literal()
    if (integer) {
      errno = 0;
      char* end = nullptr;
      const long long n = std::strtoll(literal.c_str(), &end, 10);
      if (errno == 0 && end == literal.c_str() + literal.size()) {
        v.is_integer_ = true;
        v.integer_ = n;
      }
    }
    return v;
  }

  unsigned Hex4() {
    if (pos_ + 4 > text_.size()) Fail("truncated \\u escape", pos_);
    unsigned value = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[pos_++];
      value <<= 4;
      if (c >= '0' && c <= '9') {
        value |= static_cast<unsigned>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        value |= static_cast<unsigned>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        value |= static_cast<unsigned>(c - 'A' + 10);
      } else {
        Fail("bad hex digit in \\u escape", pos_ - 1);
      }
    }
    return value;
  }

  std::string String() {
    Expect('"');
    std::string out;
    while (true) {
      if (pos_ >= text_.size()) Fail("unterminated string", pos_);
      const char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (static_cast<unsigned char>(c) < 0x20) Fail("control character in a string", pos_);
      if (c != '\\') {
        out.push_back(c);
        ++pos_;
        continue;
      }
      const size_t escape = pos_;
      ++pos_;
      if (pos_ >= text_.size()) Fail("unterminated escape", escape);
      const char e = text_[pos_++];
      switch (e) {
        case '"': out.push_back('"'); break;
        case '\\': out.push_back('\\'); break;
        case '/': out.push_back('/'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'u': {
          char32_t cp = Hex4();
          if (cp >= 0xDC00 && cp <= 0xDFFF) Fail("lone low surrogate", escape);
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (text_.substr(pos_, 2) != "\\u") Fail("lone high surrogate", escape);
            pos_ += 2;
            const char32_t low = Hex4();
            if (low < 0xDC00 || low > 0xDFFF) Fail("high surrogate without a low one", escape);
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          AppendUtf8(cp, &out);
          break;
        }
        default:
          Fail("unknown escape", escape);
      }
    }
  }

  std::string_view text_;
  const std::string& name_;
  size_t pos_ = 0;
};

JsonValue ParseJson(std::string_view text, const std::string& name) {
  return JsonParser(text, name).Document();
}

}  // namespace fasterbert::text
