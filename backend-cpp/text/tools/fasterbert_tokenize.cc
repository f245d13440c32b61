// fasterbert_tokenize: runs a Tokenizer (BERT WordPiece from --vocab, any
// supported family from --tokenizer-json) over a file of records, for the
// parity test against HF tokenizers.
//
// Input: one record per line; a record is the text, or the two texts of a
// pair separated by a tab, each written as the hex digits of its bytes (so
// any bytes, newlines and invalid UTF-8 included, survive). An empty line is
// one empty text.
// Output: one line per record, tab-separated:
//   ok <ids> <type ids> <attention mask> <offsets>
// with comma-separated values and offsets as start:end byte pairs, or
//   error <kind> <message>
// where kind is InvalidTextError, TextTooLongError or invalid_argument.
// With --words true, each record is one text tokenized without special
// tokens or truncation (Tokenizer::TokenizeWords), and an ok line is
//   ok <ids> <words>
// (the word of each token, for the word-ids parity test).
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "text/bert_tokenizer.h"
#include "text/tokenizer.h"
#include "tool_args.h"

namespace {

using fasterbert::text::BertTokenizer;
using fasterbert::text::BertTokenizerOptions;
using fasterbert::text::Encoding;
using fasterbert::text::Truncation;
using fasterbert::text::tools::ToolArgs;

constexpr const char* kUsage =
    "usage: fasterbert_tokenize (--vocab VOCAB.txt [options] | --tokenizer-json FILE [options])\n"
    "                           INPUT|-\n"
    "  (with --tokenizer-json the file sets the normalizer and special tokens,\n"
    "   and only --max-length, --truncation and --output apply)\n"
    "  --lowercase true|false             (default true)\n"
    "  --strip-accents true|false|auto    (default auto: follows --lowercase)\n"
    "  --clean-text true|false            (default true)\n"
    "  --handle-chinese-chars true|false  (default true)\n"
    "  --special-tokens-in-text true|false (default true)\n"
    "  --max-length N                     (default: no limit)\n"
    "  --truncation longest_first|only_first|only_second|do_not_truncate\n"
    "  --words true|false                 (default false: see the top of the file)\n"
    "  --output FILE                      (default: stdout)\n";

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string DecodeHex(const ToolArgs& args, std::string_view hex, size_t line_number) {
  if (hex.size() % 2 != 0) args.Fail("line " + std::to_string(line_number) + ": odd hex length");
  std::string bytes(hex.size() / 2, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) {
    const int hi = HexDigit(hex[2 * i]), lo = HexDigit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) args.Fail("line " + std::to_string(line_number) + ": bad hex digit");
    bytes[i] = static_cast<char>(hi * 16 + lo);
  }
  return bytes;
}

template <typename T>
void WriteList(std::ostream& out, const std::vector<T>& values) {
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out << ',';
    out << values[i];
  }
}

void WriteEncoding(std::ostream& out, const Encoding& e) {
  out << "ok\t";
  WriteList(out, e.ids);
  out << '\t';
  WriteList(out, e.type_ids);
  out << '\t';
  WriteList(out, e.attention_mask);
  out << '\t';
  for (size_t i = 0; i < e.offsets.size(); ++i) {
    if (i) out << ',';
    out << e.offsets[i].first << ':' << e.offsets[i].second;
  }
  out << '\n';
}

}  // namespace

int main(int argc, char** argv) {
  ToolArgs args("fasterbert_tokenize", kUsage);
  BertTokenizerOptions options;
  std::string output_path;
  size_t max_length = fasterbert::text::Tokenizer::kNoMaxLength;
  Truncation truncation = Truncation::kLongestFirst;
  bool words = false;
  args.Parse(argc, argv, [&](const std::string& flag, const std::string& value) {
    if (flag == "--lowercase") {
      options.lowercase = args.Bool(flag, value);
    } else if (flag == "--strip-accents") {
      if (value != "auto") options.strip_accents = args.Bool(flag, value);
    } else if (flag == "--clean-text") {
      options.clean_text = args.Bool(flag, value);
    } else if (flag == "--handle-chinese-chars") {
      options.handle_chinese_chars = args.Bool(flag, value);
    } else if (flag == "--special-tokens-in-text") {
      options.match_special_tokens_in_text = args.Bool(flag, value);
    } else if (flag == "--max-length") {
      max_length = args.Count(flag, value);
    } else if (flag == "--truncation") {
      const auto parsed = fasterbert::text::ParseTruncation(value);
      if (!parsed) args.Fail("unknown truncation '" + value + "'");
      truncation = *parsed;
    } else if (flag == "--words") {
      words = args.Bool(flag, value);
    } else if (flag == "--output") {
      output_path = value;
    } else {
      return false;
    }
    return true;
  });
  const std::unique_ptr<fasterbert::text::Tokenizer> tokenizer = args.LoadAnyTokenizer(options);
  const std::string& input_path = args.input();

  std::ifstream file;
  if (input_path != "-") {
    file.open(input_path, std::ios::binary);
    if (!file) args.Fail("cannot open " + input_path);
  }
  std::istream& in = input_path == "-" ? std::cin : file;
  std::ofstream out_file;
  if (!output_path.empty()) {
    out_file.open(output_path, std::ios::binary);
    if (!out_file) args.Fail("cannot write " + output_path);
  }
  std::ostream& out = output_path.empty() ? std::cout : out_file;

  Encoding encoding;
  std::vector<fasterbert::text::Token> tokens;
  std::vector<uint32_t> token_words;
  std::string line;
  size_t line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t tab = line.find('\t');
    try {
      if (words) {
        if (tab != std::string::npos) args.Fail("--words takes single texts, not pairs");
        tokenizer->TokenizeWords(DecodeHex(args, line, line_number), &tokens, &token_words);
        out << "ok\t";
        for (size_t i = 0; i < tokens.size(); ++i) out << (i ? "," : "") << tokens[i].id;
        out << '\t';
        WriteList(out, token_words);
        out << '\n';
        continue;
      }
      if (tab == std::string::npos) {
        tokenizer->Encode(DecodeHex(args, line, line_number), max_length, truncation, &encoding);
      } else {
        const std::string a = DecodeHex(args, std::string_view(line).substr(0, tab), line_number);
        const std::string b = DecodeHex(args, std::string_view(line).substr(tab + 1), line_number);
        tokenizer->EncodePair(a, b, max_length, truncation, &encoding);
      }
      WriteEncoding(out, encoding);
    } catch (const fasterbert::text::InvalidTextError& e) {
      out << "error\tInvalidTextError\t" << e.what() << '\n';
    } catch (const fasterbert::text::TextTooLongError& e) {
      out << "error\tTextTooLongError\t" << e.what() << '\n';
    } catch (const std::invalid_argument& e) {
      out << "error\tinvalid_argument\t" << e.what() << '\n';
    }
  }
  out.flush();
  if (!out) {
    std::cerr << "fasterbert_tokenize: write failed\n";
    return 1;
  }
  return 0;
}
