// The BERT template (text/bert_template.h): recognising it in the template
// the general post-processor reader reads, and what the BERT path and the
// general one make of a template that has or lacks its shape.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "text/bert_template.h"
#include "text/bert_tokenizer.h"
#include "text/json.h"
#include "text/json_reader.h"
#include "text/post_processors.h"
#include "text/tokenizer.h"

namespace fasterbert::text {
namespace {

using Ids = std::vector<int32_t>;

// A TemplateProcessing from HF's short spelling: "[CLS]:0", "$A:0", ...;
// [CLS] is id 2, [SEP] 3, [SEP2] 3 as well, [X] 4 and 5.
std::string TemplateJson(const std::vector<std::string>& single,
                         const std::vector<std::string>& pair) {
  auto list = [](const std::vector<std::string>& items) {
    std::string json;
    for (const std::string& item : items) {
      const size_t colon = item.rfind(':');
      const std::string id = item.substr(0, colon), type_id = item.substr(colon + 1);
      json += json.empty() ? "[" : ", ";
      json += id[0] == '$' ? R"({"Sequence": {"id": ")" + id.substr(1) + "\""
                           : R"({"SpecialToken": {"id": ")" + id + "\"";
      json += ", \"type_id\": " + type_id + "}}";
    }
    return json + "]";
  };
  return R"({"type": "TemplateProcessing", "single": )" + list(single) + R"(, "pair": )" +
         list(pair) + R"(, "special_tokens": {
      "[CLS]": {"id": "[CLS]", "ids": [2], "tokens": ["[CLS]"]},
      "[SEP]": {"id": "[SEP]", "ids": [3], "tokens": ["[SEP]"]},
      "[SEP2]": {"id": "[SEP2]", "ids": [3], "tokens": ["[SEP2]"]},
      "[X]": {"id": "[X]", "ids": [4, 5], "tokens": ["[X]", "[X]"]}}})";
}

const std::vector<std::string> kSingle = {"[CLS]:0", "$A:0", "[SEP]:0"};

PostProcessing Read(const std::string& post_json) {
  const JsonValue post = ParseJson(post_json, "t.json");
  PostProcessing read;
  ReadPostProcessor(JsonReader("t.json"), post, "post_processor", &read);
  return read;
}

bool IsBert(const std::vector<std::string>& single, const std::vector<std::string>& pair) {
  const PostProcessing read = Read(TemplateJson(single, pair));
  return IsBertSingle(read.single_pieces) && IsBertPair(read.single_pieces, read.pair_pieces);
}

TEST(BertTemplateTest, BuildsBertsLayout) {
  const SpecialTemplate bert = BertTemplate(2, 3);
  EXPECT_EQ(bert.single_before.ids, Ids{2});
  EXPECT_EQ(bert.single_after.ids, Ids{3});
  EXPECT_EQ(bert.pair_between.ids, Ids{3});
  EXPECT_EQ(bert.pair_after.type_ids, Ids{1});
  EXPECT_EQ(bert.pair_b_type_id, 1);
  const SpecialTemplate mpnet = BertTemplate(0, 2, 2, 0);
  EXPECT_EQ(mpnet.pair_between.ids, (Ids{2, 2}));
  EXPECT_EQ(mpnet.pair_between.type_ids, (Ids{0, 0}));
  EXPECT_EQ(mpnet.pair_after.type_ids, Ids{0});
  EXPECT_EQ(mpnet.pair_b_type_id, 0);
}

TEST(BertTemplateTest, RecognisesOneOrTwoSeparatorsAndBAtType0Or1) {
  EXPECT_TRUE(IsBert(kSingle, {"[CLS]:0", "$A:0", "[SEP]:0", "$B:1", "[SEP]:1"}));
  EXPECT_TRUE(IsBert(kSingle, {"[CLS]:0", "$A:0", "[SEP]:0", "$B:0", "[SEP]:0"}));
  EXPECT_TRUE(IsBert(kSingle, {"[CLS]:0", "$A:0", "[SEP]:0", "[SEP]:0", "$B:1", "[SEP]:1"}));
  EXPECT_TRUE(IsBert(kSingle, {"[CLS]:0", "$A:0", "[SEP]:0", "[SEP]:0", "$B:0", "[SEP]:0"}));
  // The tokens are the single list's, whatever their names.
  EXPECT_TRUE(IsBert({"[SEP]:0", "$A:0", "[CLS]:0"},
                     {"[SEP]:0", "$A:0", "[CLS]:0", "$B:1", "[CLS]:1"}));
}

TEST(BertTemplateTest, RefusesOtherShapes) {
  const std::vector<std::string> pair = {"[CLS]:0", "$A:0", "[SEP]:0", "$B:1", "[SEP]:1"};
  // Another token in the [SEP] role of the pair, even one of the same id.
  EXPECT_FALSE(IsBert(kSingle, {"[CLS]:0", "$A:0", "[SEP2]:0", "$B:1", "[SEP]:1"}));
  EXPECT_FALSE(IsBert(kSingle, {"[CLS]:0", "$A:0", "[SEP]:0", "$B:1", "[SEP2]:1"}));
  EXPECT_FALSE(IsBert(kSingle, {"[CLS]:0", "$A:0", "[SEP]:0", "[SEP2]:0", "$B:1", "[SEP]:1"}));
  EXPECT_FALSE(IsBert(kSingle, {"[SEP]:0", "$A:0", "[SEP]:0", "$B:1", "[SEP]:1"}));
  // B's type id 2, or its [SEP] at another type than B.
  EXPECT_FALSE(IsBert(kSingle, {"[CLS]:0", "$A:0", "[SEP]:0", "$B:2", "[SEP]:2"}));
  EXPECT_FALSE(IsBert(kSingle, {"[CLS]:0", "$A:0", "[SEP]:0", "$B:1", "[SEP]:0"}));
  // Three separators, none, or none after B.
  EXPECT_FALSE(IsBert(
      kSingle, {"[CLS]:0", "$A:0", "[SEP]:0", "[SEP]:0", "[SEP]:0", "$B:1", "[SEP]:1"}));
  EXPECT_FALSE(IsBert(kSingle, {"[CLS]:0", "$A:0", "$B:1", "[SEP]:1"}));
  EXPECT_FALSE(IsBert(kSingle, {"[CLS]:0", "$A:0", "[SEP]:0", "$B:1"}));
  // A single list that is not [CLS]:0 $A:0 [SEP]:0.
  EXPECT_FALSE(IsBert({"[CLS]:0", "$A:1", "[SEP]:0"}, pair));
  EXPECT_FALSE(IsBert({"[CLS]:0", "$A:0", "[SEP]:1"}, pair));
  EXPECT_FALSE(IsBert({"$A:0", "[SEP]:0"}, pair));
  // A special token of two ids.
  EXPECT_FALSE(IsBert({"[X]:0", "$A:0", "[SEP]:0"},
                      {"[X]:0", "$A:0", "[SEP]:0", "$B:1", "[SEP]:1"}));
}

TEST(BertTemplateTest, ReadsBertProcessingAndRobertaProcessingAsTheirLists) {
  const PostProcessing bert =
      Read(R"({"type": "BertProcessing", "sep": ["[SEP]", 3], "cls": ["[CLS]", 2]})");
  EXPECT_TRUE(IsBertPair(bert.single_pieces, bert.pair_pieces));
  EXPECT_EQ(bert.single_pieces[0].id, "[CLS]");
  EXPECT_EQ(bert.pair_pieces.back().id, "[SEP]");
  const PostProcessing roberta =
      Read(R"({"type": "RobertaProcessing", "sep": ["</s>", 2], "cls": ["<s>", 0]})");
  EXPECT_TRUE(IsBertPair(roberta.single_pieces, roberta.pair_pieces));
  EXPECT_EQ(roberta.special.pair_between.ids, (Ids{2, 2}));
  EXPECT_EQ(roberta.special.pair_b_type_id, 0);
}

TEST(BertTemplateTest, ReplacesTheClsAndSepRolesKeepingTheLayout) {
  SpecialTemplate t = BertTemplate(0, 2, 2, 1);
  SetBertCls(&t, 7);
  SetBertSep(&t, 8);
  EXPECT_EQ(t.single_before.ids, Ids{7});
  EXPECT_EQ(t.pair_before.ids, Ids{7});
  EXPECT_EQ(t.single_after.ids, Ids{8});
  EXPECT_EQ(t.pair_between.ids, (Ids{8, 8}));
  EXPECT_EQ(t.pair_between.type_ids, (Ids{0, 0}));
  EXPECT_EQ(t.pair_after.ids, Ids{8});
  EXPECT_EQ(t.pair_after.type_ids, Ids{1});
}

// A tokenizer.json around a post_processor, with a WordPiece or a Unigram model.
std::string FileWith(const std::string& post, bool wordpiece) {
  const std::string model =
      wordpiece ? R"({"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
          "vocab": {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, "hello": 4, "world": 5}})"
                : R"({"type": "Unigram", "unk_id": 1, "vocab": [["[PAD]", 0.0], ["[UNK]", 0.0],
          ["[CLS]", 0.0], ["[SEP]", 0.0], ["hello", -1.0], ["world", -1.0]]})";
  const std::string normalizer = wordpiece ? R"({"type": "BertNormalizer"})" : "null";
  const std::string pre = wordpiece ? R"({"type": "BertPreTokenizer"})"
                                    : R"({"type": "WhitespaceSplit"})";
  return R"({"version": "1.0", "added_tokens": [], "normalizer": )" + normalizer +
         R"(, "pre_tokenizer": )" + pre + R"(, "post_processor": )" + post +
         R"(, "decoder": null, "model": )" + model + "}";
}

std::string LoadError(const std::string& json) {
  try {
    Tokenizer::FromTokenizerJsonString(json, "t.json");
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "(no error)";
}

// Another token in the pair's [SEP] role: a WordPiece file is refused with
// the BERT reader's reason; any other model's file goes to the general
// tokenizer, which follows the template as written.
TEST(BertTemplateTest, AnotherSeparatorInThePairIsRefusedOrGeneral) {
  const std::string post =
      TemplateJson(kSingle, {"[CLS]:0", "$A:0", "[SEP]:0", "$B:1", "[SEP2]:1"});
  const std::string error = LoadError(FileWith(post, true));
  EXPECT_NE(error.find("t.json"), std::string::npos) << error;
  EXPECT_NE(error.find("post_processor.pair: only the BERT template"), std::string::npos) << error;
  EXPECT_THROW(BertTokenizer::FromTokenizerJsonString(FileWith(post, true), "t.json"),
               std::runtime_error);
  const auto general = Tokenizer::FromTokenizerJsonString(FileWith(post, false), "t.json");
  EXPECT_EQ(general->bert(), nullptr);
  Encoding e;
  general->EncodePair("hello", "world", Tokenizer::kNoMaxLength, Truncation::kLongestFirst, &e);
  EXPECT_EQ(e.ids, (Ids{2, 4, 3, 5, 3}));
  EXPECT_EQ(e.type_ids, (Ids{0, 0, 0, 1, 1}));
}

// The BERT path keeps the template it read, the adapter hands it on, and
// the pipeline's sepToken replaces every [SEP] of it.
TEST(BertTemplateTest, TheBertPathKeepsTheTemplateItReadWithOverrides) {
  const std::string post =
      TemplateJson(kSingle, {"[CLS]:0", "$A:0", "[SEP]:0", "[SEP]:0", "$B:0", "[SEP]:0"});
  BertTokenizerOverrides overrides;
  overrides.sep_token = "world";
  const auto tokenizer = Tokenizer::FromTokenizerJsonString(FileWith(post, true), "t.json",
                                                            overrides);
  ASSERT_NE(tokenizer->bert(), nullptr);
  const SpecialTemplate& t = tokenizer->special_template();
  EXPECT_EQ(&t, &tokenizer->bert()->special_template());
  EXPECT_EQ(t.single_before.ids, Ids{2});
  EXPECT_EQ(t.single_after.ids, Ids{5});
  EXPECT_EQ(t.pair_between.ids, (Ids{5, 5}));
  EXPECT_EQ(t.pair_after.ids, Ids{5});
  EXPECT_EQ(t.pair_b_type_id, 0);
  Encoding e;
  tokenizer->EncodePair("hello", "hello", Tokenizer::kNoMaxLength, Truncation::kLongestFirst,
                        &e);
  EXPECT_EQ(e.ids, (Ids{2, 4, 5, 5, 4, 5}));
  EXPECT_EQ(e.type_ids, (Ids{0, 0, 0, 0, 0, 0}));
}

// Each list is checked once read: a single list that is not BERT's is the
// error even when the pair list would fail the general reader too.
TEST(BertTemplateTest, TheSingleListIsCheckedBeforeThePairIsRead) {
  const std::string error = LoadError(FileWith(
      R"({"type": "TemplateProcessing", "single": [{"Sequence": {"id": "A", "type_id": 0}}],
          "pair": [], "special_tokens": {}})", true));
  EXPECT_NE(error.find("post_processor.single: only the BERT template"), std::string::npos)
      << error;
  // An item with more than its SpecialToken (HF refuses it) is named.
  const std::string loose = LoadError(FileWith(
      R"({"type": "TemplateProcessing", "single": [
            {"SpecialToken": {"id": "[CLS]", "type_id": 0}, "extra": 1},
            {"Sequence": {"id": "A", "type_id": 0}},
            {"SpecialToken": {"id": "[SEP]", "type_id": 0}}], "pair": [],
          "special_tokens": {"[CLS]": {"id": "[CLS]", "ids": [2], "tokens": ["[CLS]"]},
                             "[SEP]": {"id": "[SEP]", "ids": [3], "tokens": ["[SEP]"]}}})",
      true));
  EXPECT_NE(loose.find("post_processor.single[0]: expected SpecialToken or Sequence"),
            std::string::npos)
      << loose;
}

}  // namespace
}  // namespace fasterbert::text
