// The command line shared by the tokenizer tools (fasterbert_tokenize,
// fasterbert_tokenizer_bench): "--flag value" pairs, one input path, and the
// tokenizer named by --vocab or --tokenizer-json. A malformed command line
// prints the message and the tool's usage and exits 2, as both tools did.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "text/bert_tokenizer.h"
#include "text/tokenizer.h"

namespace fasterbert::text::tools {

class ToolArgs {
 public:
  ToolArgs(std::string tool, std::string usage);

  // Reads argv. --vocab and --tokenizer-json are kept here; every other flag
  // goes to on_flag, which returns false for a flag it does not know.
  // -h/--help prints the usage and exits 0.
  void Parse(int argc, char** argv,
             const std::function<bool(const std::string& flag, const std::string& value)>& on_flag);

  [[noreturn]] void Fail(const std::string& message) const;
  bool Bool(const std::string& flag, const std::string& value) const;    // true|false
  size_t Count(const std::string& flag, const std::string& value) const;  // an unsigned number
  double Number(const std::string& flag, const std::string& value) const;

  const std::string& input() const { return input_; }
  // The tokenizer of --vocab (with options) or --tokenizer-json (the file's
  // own options); a file that cannot be read prints why and exits 1.
  BertTokenizer LoadTokenizer(const BertTokenizerOptions& options) const;
  // The same, but --tokenizer-json may be any supported family
  // (Tokenizer::FromTokenizerJson).
  std::unique_ptr<Tokenizer> LoadAnyTokenizer(const BertTokenizerOptions& options) const;

 private:
  std::string tool_, usage_;
  std::string vocab_path_, json_path_, input_;
};

}  // namespace fasterbert::text::tools
