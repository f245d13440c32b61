#include "tool_args.h"

#include <cstdlib>
#include <exception>
#include <iostream>
#include <utility>

namespace fasterbert::text::tools {

ToolArgs::ToolArgs(std::string tool, std::string usage)
    : tool_(std::move(tool)), usage_(std::move(usage)) {}

void ToolArgs::Parse(
    int argc, char** argv,
    const std::function<bool(const std::string& flag, const std::string& value)>& on_flag) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      std::cout << usage_;
      std::exit(0);
    }
    if (arg.rfind("--", 0) != 0) {
      if (!input_.empty()) Fail("more than one input");
      input_ = arg;
      continue;
    }
    if (i + 1 >= argc) Fail(arg + " needs a value");
    const std::string value = argv[++i];
    if (arg == "--vocab") {
      vocab_path_ = value;
    } else if (arg == "--tokenizer-json") {
      json_path_ = value;
    } else if (!on_flag(arg, value)) {
      Fail("unknown option " + arg);
    }
  }
  if (vocab_path_.empty() == json_path_.empty()) Fail("give one of --vocab, --tokenizer-json");
  if (input_.empty()) Fail("no input file");
}

void ToolArgs::Fail(const std::string& message) const {
  std::cerr << tool_ << ": " << message << "\n" << usage_;
  std::exit(2);
}

bool ToolArgs::Bool(const std::string& flag, const std::string& value) const {
  if (value == "true") return true;
  if (value == "false") return false;
  Fail(flag + " wants true or false, got '" + value + "'");
}

size_t ToolArgs::Count(const std::string& flag, const std::string& value) const {
  // stoul accepts a leading '-' (and wraps it): refuse it first.
  if (value.empty() || value[0] == '-') Fail(flag + " wants a number, got '" + value + "'");
  try {
    size_t used = 0;
    const unsigned long n = std::stoul(value, &used);
    if (used == value.size()) return n;
  } catch (const std::exception&) {
  }
  Fail(flag + " wants a number, got '" + value + "'");
}

double ToolArgs::Number(const std::string& flag, const std::string& value) const {
  try {
    size_t used = 0;
    const double x = std::stod(value, &used);
    if (used == value.size()) return x;
  } catch (const std::exception&) {
  }
  Fail(flag + " wants a number, got '" + value + "'");
}

BertTokenizer ToolArgs::LoadTokenizer(const BertTokenizerOptions& options) const {
  try {
    return json_path_.empty() ? BertTokenizer::FromVocabFile(vocab_path_, options)
                              : BertTokenizer::FromTokenizerJson(json_path_);
  } catch (const std::exception& e) {
    std::cerr << tool_ << ": " << e.what() << "\n";
    std::exit(1);
  }
}

std::unique_ptr<Tokenizer> ToolArgs::LoadAnyTokenizer(const BertTokenizerOptions& options) const {
  if (json_path_.empty()) return Tokenizer::FromBert(LoadTokenizer(options));
  try {
    return Tokenizer::FromTokenizerJson(json_path_);
  } catch (const std::exception& e) {
    std::cerr << tool_ << ": " << e.what() << "\n";
    std::exit(1);
  }
}

}  // namespace fasterbert::text::tools
