#include "text/decoders.h"

#include <cstdint>
#include <optional>
#include <utility>

#include "text/byte_level.h"
#include "text/utf8.h"

namespace fasterbert::text {

Decoder Decoder::FromJson(const JsonReader& r, const JsonValue& decoder, const std::string& path) {
  const std::string type = r.Type(decoder, path, {"WordPiece", "Metaspace", "ByteLevel"});
  Decoder d;
  if (type == "WordPiece") {
    d.kind_ = Kind::kWordPiece;
    d.prefix_ = "##";
    if (const JsonValue* prefix = r.Optional(decoder, "prefix")) {
      r.Expect(*prefix, JsonValue::Type::kString, path + ".prefix");
      d.prefix_ = prefix->string();
    }
    d.cleanup_ = r.Bool(decoder, path, "cleanup", true);
  } else if (type == "Metaspace") {
    d.kind_ = Kind::kMetaspace;
    d.prefix_ = r.String(decoder, path, "replacement");
    // Older files say add_prefix_space instead of prepend_scheme.
    d.strip_first_ = r.Bool(decoder, path, "add_prefix_space", true);
    if (const JsonValue* scheme = r.Optional(decoder, "prepend_scheme")) {
      r.Expect(*scheme, JsonValue::Type::kString, path + ".prepend_scheme");
      d.strip_first_ = scheme->string() != "never";
    }
  } else {
    d.kind_ = Kind::kByteLevel;
  }
  return d;
}

Decoder Decoder::WordPiece(std::string prefix, bool cleanup) {
  Decoder d;
  d.kind_ = Kind::kWordPiece;
  d.prefix_ = std::move(prefix);
  d.cleanup_ = cleanup;
  return d;
}

std::string Decoder::Decode(const std::vector<std::string>& tokens) const {
  switch (kind_) {
    case Kind::kWordPiece:
      return DecodeWordPiece(tokens);
    case Kind::kMetaspace:
      return DecodeMetaspace(tokens);
    case Kind::kByteLevel:
      return DecodeByteLevel(tokens);
    case Kind::kNone:
      break;
  }
  std::string out;
  for (size_t i = 0; i < tokens.size(); ++i) out += (i > 0 ? " " : "") + tokens[i];
  return out;
}

std::string Decoder::DecodeWordPiece(const std::vector<std::string>& tokens) const {
  // tokenizers cleans each piece on its own (with its leading space), so
  // "a ' b" keeps its spaces while "a ." becomes "a.".
  static const std::pair<const char*, const char*> kCleanup[] = {
      {" .", "."},   {" ?", "?"},          {" !", "!"},   {" ,", ","},   {" ' ", "'"},  {" n't", "n't"},
      {" 'm", "'m"}, {" do not", " don't"}, {" 's", "'s"}, {" 've", "'ve"}, {" 're", "'re"}};
  std::string out;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const std::string& t = tokens[i];
    std::string piece = i == 0 ? t
                        : !prefix_.empty() && t.compare(0, prefix_.size(), prefix_) == 0
                            ? t.substr(prefix_.size())
                            : " " + t;
    if (cleanup_) {
      for (const auto& [from, to] : kCleanup) {
        const std::string f(from), r(to);
        for (size_t pos = piece.find(f); pos != std::string::npos; pos = piece.find(f, pos + r.size())) {
          piece.replace(pos, f.size(), r);
        }
      }
    }
    out += piece;
  }
  return out;
}

std::string Decoder::DecodeMetaspace(const std::vector<std::string>& tokens) const {
  std::string out;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const std::string& t = tokens[i];
    // The first token loses every replacement char (the prepended space and
    // any other), the others turn them into spaces: tokenizers' rule.
    const bool drop = i == 0 && strip_first_;
    for (size_t pos = 0; pos < t.size();) {
      if (!prefix_.empty() && t.compare(pos, prefix_.size(), prefix_) == 0) {
        if (!drop) out += ' ';
        pos += prefix_.size();
      } else {
        out += t[pos++];
      }
    }
  }
  return out;
}

std::string Decoder::DecodeByteLevel(const std::vector<std::string>& tokens) {
  // A token of the byte alphabet gives its bytes; any other (an added
  // token) its own UTF-8. The bytes together may split chars: lossy.
  std::string bytes;
  for (const std::string& t : tokens) {
    std::string mapped;
    bool all = true;
    for (size_t i = 0; i < t.size() && all;) {
      char32_t c;
      i += static_cast<size_t>(DecodeUtf8(t, i, &c));
      const std::optional<uint8_t> b = ByteLevelByte(static_cast<uint32_t>(c));
      if (b) {
        mapped += static_cast<char>(*b);
      } else {
        all = false;
      }
    }
    bytes += all ? mapped : t;
  }
  return Utf8Lossy(bytes);
}

std::string Utf8Lossy(const std::string& bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const size_t n = bytes.size();
  std::string out;
  out.reserve(n);
  for (size_t i = 0; i < n;) {
    char32_t c;
    const int len = DecodeUtf8Checked(p + i, n - i, &c);
    if (len > 0) {
      out.append(bytes, i, static_cast<size_t>(len));
      i += static_cast<size_t>(len);
      continue;
    }
    // The maximal subpart: the lead and the continuation bytes that could
    // still have completed it (Unicode's "substitution of maximal subparts").
    const unsigned char b0 = p[i];
    size_t need = b0 >= 0xC2 && b0 < 0xE0 ? 2 : b0 >= 0xE0 && b0 < 0xF0 ? 3 : b0 >= 0xF0 && b0 < 0xF5 ? 4 : 1;
    size_t k = 1;
    for (; k < need && i + k < n; ++k) {
      const unsigned char b = p[i + k];
      unsigned char lo = 0x80, hi = 0xBF;
      if (k == 1) {
        if (b0 == 0xE0) lo = 0xA0;
        if (b0 == 0xED) hi = 0x9F;
        if (b0 == 0xF0) lo = 0x90;
        if (b0 == 0xF4) hi = 0x8F;
      }
      if (b < lo || b > hi) break;
    }
    out += "\xEF\xBF\xBD";
    i += k;
  }
  return out;
}

}  // namespace fasterbert::text
