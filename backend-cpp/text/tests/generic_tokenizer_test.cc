// The generic tokenizer runtime (text/tokenizer.h) against HF tokenizers:
// test/tokenizer/hf_expected.py trains small Unigram and byte-level BPE
// tokenizers with HF's trainers and writes HF's own encodings of seeded
// random strings; every one must come out the same here (ids, type ids,
// byte offsets, truncation errors). Plus the loader's error messages.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "text/errors.h"
#include "text/tokenizer.h"

namespace fasterbert::text {
namespace {

std::string FromHex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> fields;
  std::stringstream in(line);
  std::string field;
  while (std::getline(in, field, '\t')) fields.push_back(field);
  if (!line.empty() && line.back() == '\t') fields.push_back("");
  return fields;
}

std::string Join(const Encoding& e, int what) {
  std::ostringstream out;
  for (size_t i = 0; i < e.size(); ++i) {
    if (i) out << ',';
    if (what == 0) out << e.ids[i];
    if (what == 1) out << e.type_ids[i];
    if (what == 2) out << e.offsets[i].first << ':' << e.offsets[i].second;
  }
  return out.str();
}

TEST(GenericTokenizerTest, MatchesHfOnTrainedTokenizers) {
  const std::string python = FASTERBERT_REPO_ROOT "/.venv/bin/python";
  if (!std::ifstream(python).good()) GTEST_SKIP() << "no .venv with HF tokenizers";
  // Per process: two builds' test runs (plain and sanitized, or two
  // checkouts) must not overwrite each other's expected files.
  const std::string dir =
      testing::TempDir() + "/generic_tokenizer_test." + std::to_string(::getpid());
  const std::string command = "mkdir -p '" + dir + "' && '" + python +
                              "' " FASTERBERT_REPO_ROOT "/test/tokenizer/hf_expected.py '" + dir +
                              "' > /dev/null";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  std::ifstream in(dir + "/expected.tsv");
  ASSERT_TRUE(in.good());
  std::map<std::string, std::unique_ptr<Tokenizer>> tokenizers;
  std::string line;
  size_t checked = 0, failed = 0;
  Encoding encoding;
  while (std::getline(in, line)) {
    const std::vector<std::string> f = SplitTabs(line);
    ASSERT_GE(f.size(), 6u) << line;
    auto& tokenizer = tokenizers[f[0]];
    if (!tokenizer) tokenizer = Tokenizer::FromTokenizerJson(dir + "/" + f[0]);
    const long max_length_field = std::stol(f[1]);
    const size_t max_length =
        max_length_field < 0 ? Tokenizer::kNoMaxLength : static_cast<size_t>(max_length_field);
    const Truncation truncation = *ParseTruncation(f[2]);
    const std::string a = FromHex(f[3]);
    std::string got;
    try {
      if (f[4] == "-") {
        tokenizer->Encode(a, max_length, truncation, &encoding);
      } else {
        tokenizer->EncodePair(a, FromHex(f[4]), max_length, truncation, &encoding);
      }
      got = "ok\t" + Join(encoding, 0) + "\t" + Join(encoding, 1) + "\t" + Join(encoding, 2);
    } catch (const TextTooLongError&) {
      got = "error";
    }
    // What a QA caller builds from Tokenize() and the template must be
    // what Encode gives.
    if (f[4] == "-" && max_length == Tokenizer::kNoMaxLength && got != "error") {
      std::vector<Token> tokens;
      tokenizer->Tokenize(a, &tokens);
      const SpecialTemplate& t = tokenizer->special_template();
      std::vector<int32_t> ids = t.single_before.ids;
      for (const Token& token : tokens) ids.push_back(token.id);
      ids.insert(ids.end(), t.single_after.ids.begin(), t.single_after.ids.end());
      EXPECT_EQ(ids, encoding.ids) << f[0] << " " << f[3];
    }
    std::string want = f[5];
    if (want == "ok") want += "\t" + f[6] + "\t" + f[7] + "\t" + (f.size() > 8 ? f[8] : "");
    ++checked;
    if (got != want && ++failed <= 5) {
      ADD_FAILURE() << f[0] << " max_length " << f[1] << " " << f[2] << " a=" << f[3]
                    << " b=" << f[4] << "\n  hf:   " << want << "\n  ours: " << got;
    }
  }
  EXPECT_EQ(failed, 0u) << "of " << checked;
  EXPECT_GT(checked, 1000u);
  EXPECT_EQ(std::system(("rm -rf '" + dir + "'").c_str()), 0);
}

// A minimal Unigram tokenizer.json with the given normalizer/pre-tokenizer.
std::string MiniJson(const std::string& normalizer, const std::string& pre_tokenizer) {
  return R"({"version":"1.0","added_tokens":[],"normalizer":)" + normalizer +
         R"(,"pre_tokenizer":)" + pre_tokenizer +
         R"(,"post_processor":null,"decoder":null,"model":{"type":"Unigram","unk_id":0,)"
         R"("vocab":[["<unk>",0.0],["a",-1.0]]}})";
}

std::string LoadError(const std::string& json) {
  try {
    Tokenizer::FromTokenizerJsonString(json, "mini.json");
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

TEST(GenericTokenizerTest, UnsupportedComponentsNameFilePathAndChoices) {
  const std::string nested = LoadError(MiniJson(
      R"({"type":"Sequence","normalizers":[{"type":"Lowercase"},{"type":"Nmt"}]})", "null"));
  EXPECT_NE(nested.find("mini.json"), std::string::npos) << nested;
  EXPECT_NE(nested.find("normalizer.normalizers[1].type"), std::string::npos) << nested;
  EXPECT_NE(nested.find("'Nmt'"), std::string::npos) << nested;
  EXPECT_NE(nested.find("Precompiled"), std::string::npos) << nested;

  const std::string pre = LoadError(MiniJson("null", R"({"type":"UnicodeScripts"})"));
  EXPECT_NE(pre.find("pre_tokenizer.type"), std::string::npos) << pre;
  EXPECT_NE(pre.find("'UnicodeScripts'"), std::string::npos) << pre;

  // A regex outside the engine's subset (a lookbehind), in a Split and in a Replace.
  const std::string regex = LoadError(MiniJson(
      R"({"type":"Replace","pattern":{"Regex":"(?<=a)b"},"content":""})", "null"));
  EXPECT_NE(regex.find("normalizer.pattern.Regex"), std::string::npos) << regex;
  EXPECT_NE(regex.find("not supported"), std::string::npos) << regex;
  EXPECT_NE(regex.find("(?=...)"), std::string::npos) << regex;  // the supported subset
  const std::string split = LoadError(MiniJson(
      "null", R"({"type":"Split","pattern":{"Regex":"\\p{Han}"},"behavior":"Isolated","invert":false})"));
  EXPECT_NE(split.find("pre_tokenizer.pattern.Regex"), std::string::npos) << split;
  EXPECT_NE(split.find("'Han' is not supported"), std::string::npos) << split;
  EXPECT_EQ(LoadError(MiniJson(
                "null", R"({"type":"Split","pattern":{"Regex":"[a-z]+"},"behavior":"Isolated","invert":false})")),
            "");

  EXPECT_EQ(LoadError(MiniJson("null", "null")), "");
}

// Tables are sized by the largest id: an id past the file's vocab and added
// entries (found by the fuzzer: one near 2^30 made the load allocate 35 GB)
// fails the load with the JSON path instead.
TEST(GenericTokenizerTest, IdsPastTheFilesEntriesAreRefused) {
  const std::string bpe =
      R"({"version":"1.0","added_tokens":[],"normalizer":null,"pre_tokenizer":null,)"
      R"("post_processor":null,"decoder":null,"model":{"type":"BPE","unk_token":"<unk>",)"
      R"("vocab":{"<unk>":0,"a":1,"b":1100000000},"merges":[]}})";
  const std::string vocab_error = LoadError(bpe);
  EXPECT_NE(vocab_error.find("model.vocab['b']"), std::string::npos) << vocab_error;
  EXPECT_NE(vocab_error.find("[0, 2]"), std::string::npos) << vocab_error;
  std::string added = MiniJson("null", "null");
  added.replace(added.find(R"("added_tokens":[])"), 17,
                R"("added_tokens":[{"id":2000000000,"content":"<x>"}])");
  const std::string added_error = LoadError(added);
  EXPECT_NE(added_error.find("added_tokens[0].id"), std::string::npos) << added_error;
  // Dense ids, an added token right after the vocab: loads.
  std::string next = MiniJson("null", "null");
  next.replace(next.find(R"("added_tokens":[])"), 17, R"("added_tokens":[{"id":2,"content":"<x>"}])");
  EXPECT_EQ(LoadError(next), "");
}

TEST(GenericTokenizerTest, InvalidUtf8IsRejected) {
  const auto tokenizer = Tokenizer::FromTokenizerJsonString(MiniJson("null", "null"), "mini");
  Encoding e;
  EXPECT_THROW(tokenizer->Encode("a\xff", Tokenizer::kNoMaxLength, Truncation::kLongestFirst, &e),
               InvalidTextError);
}

}  // namespace
}  // namespace fasterbert::text
