// HF tokenizers' decoders: how a tokenizer joins token strings back into
// text (transformers' convert_tokens_to_string). NER's words are made with
// it, so each family's words read as HF's: WordPiece glues "##" pieces,
// Metaspace turns "▁" into spaces, ByteLevel maps its alphabet back to bytes.
#pragma once

#include <string>
#include <vector>

#include "text/json.h"
#include "text/json_reader.h"

namespace fasterbert::text {

class Decoder {
 public:
  // No decoder: transformers joins the tokens with spaces.
  Decoder() = default;
  // tokenizer.json's "decoder" (WordPiece, Metaspace, ByteLevel); throws
  // naming the field for another type.
  static Decoder FromJson(const JsonReader& reader, const JsonValue& decoder,
                          const std::string& path);
  // The WordPiece decoder of BertTokenizerFast.
  static Decoder WordPiece(std::string prefix, bool cleanup);

  std::string Decode(const std::vector<std::string>& tokens) const;

 private:
  enum class Kind { kNone, kWordPiece, kMetaspace, kByteLevel };
  std::string DecodeWordPiece(const std::vector<std::string>& tokens) const;
  std::string DecodeMetaspace(const std::vector<std::string>& tokens) const;
  static std::string DecodeByteLevel(const std::vector<std::string>& tokens);

  Kind kind_ = Kind::kNone;
  std::string prefix_;       // WordPiece: "##"; Metaspace: the replacement "▁"
  bool cleanup_ = false;     // WordPiece: " ." -> "." and the like
  bool strip_first_ = false; // Metaspace: prepend_scheme is not "never"
};

// Rust's String::from_utf8_lossy: each maximal invalid subpart becomes U+FFFD.
std::string Utf8Lossy(const std::string& bytes);

}  // namespace fasterbert::text
