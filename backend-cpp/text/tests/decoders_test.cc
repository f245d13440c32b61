// The decoders (HF's convert_tokens_to_string) on hand-worked cases of
// tokenizers' rules: WordPiece's prefix and cleanup, Metaspace's first
// token, ByteLevel's alphabet with lossy UTF-8, and the real tokenizer.json
// files of test/assets. NER's words through them are checked against HF's
// pipeline end to end (test/e2e/ner-families.test.ts).
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "text/decoders.h"
#include "text/json.h"
#include "text/json_reader.h"
#include "text/tokenizer.h"

namespace fasterbert::text {
namespace {

Decoder FromJson(const std::string& json) {
  const JsonValue value = ParseJson(json, "test");
  return Decoder::FromJson(JsonReader("test"), value, "decoder");
}

TEST(Decoders, NoDecoderJoinsWithSpaces) {
  EXPECT_EQ(Decoder().Decode({"a", "##b", "c"}), "a ##b c");
}

TEST(Decoders, WordPieceGluesPrefixedPiecesAndCleans) {
  const Decoder d = FromJson(R"({"type":"WordPiece","prefix":"##","cleanup":true})");
  EXPECT_EQ(d.Decode({"jo", "##hn", "smith", "."}), "john smith.");
  EXPECT_EQ(d.Decode({"##ith"}), "##ith");  // the first piece keeps its prefix
  EXPECT_EQ(d.Decode({"it", "'", "s"}), "it ' s");  // cleaned per piece: " ' " needs both spaces
  EXPECT_EQ(d.Decode({"a", "n't", "'s"}), "an't's");
  const Decoder raw = FromJson(R"({"type":"WordPiece","prefix":"@@","cleanup":false})");
  EXPECT_EQ(raw.Decode({"a", "@@b", "."}), "ab .");
}

TEST(Decoders, MetaspaceDropsTheFirstTokensReplacementsOnly) {
  const Decoder d = FromJson(R"({"type":"Metaspace","replacement":"▁","prepend_scheme":"always","split":true})");
  EXPECT_EQ(d.Decode({"▁a▁b", "▁c", "d▁"}), "ab cd ");
  EXPECT_EQ(d.Decode({"▁Zü", "rich"}), "Zürich");
  const Decoder never = FromJson(R"({"type":"Metaspace","replacement":"▁","prepend_scheme":"never"})");
  EXPECT_EQ(never.Decode({"▁a▁b", "▁c"}), " a b c");
}

TEST(Decoders, ByteLevelMapsTheAlphabetBackWithLossyUtf8) {
  const Decoder d = FromJson(R"({"type":"ByteLevel","add_prefix_space":true,"trim_offsets":true})");
  EXPECT_EQ(d.Decode({"æĿ", "±x", "ĠZ", "Ã¼"}), "東x Zü");
  // E9 then C3 are each cut short (one U+FFFD each); "é中" is not all of the
  // alphabet, so its own UTF-8 goes in.
  EXPECT_EQ(d.Decode({"Ġé", "Ã", "é中"}), " \xEF\xBF\xBD\xEF\xBF\xBDé中");
  // F0 9F 98: one maximal subpart of a 4-byte char, one U+FFFD.
  EXPECT_EQ(d.Decode({"ð", "Ł", "ĺ"}), "\xEF\xBF\xBD");
}

TEST(Decoders, Utf8LossyReplacesMaximalSubparts) {
  EXPECT_EQ(Utf8Lossy("a\xC3"), "a\xEF\xBF\xBD");
  EXPECT_EQ(Utf8Lossy("\xE0\x80z"), "\xEF\xBF\xBD\xEF\xBF\xBDz");  // E0 80: 80 cannot follow E0
  EXPECT_EQ(Utf8Lossy("\xFF\xF4\x90"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(Utf8Lossy("ok é"), "ok é");
}

TEST(Decoders, UnsupportedTypeNamesTheField) {
  try {
    FromJson(R"({"type":"CTC"})");
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("decoder.type: 'CTC' is not supported"), std::string::npos);
  }
}

// The families' files: the token strings by id, the unknown token, the
// subword prefix and the decoder, as NER reads them.
TEST(Decoders, TokenizerFamiliesGiveWhatNerNeeds) {
  const std::string assets = FASTERBERT_REPO_ROOT "/test/assets/tokenizers/";
  const auto xlmr = Tokenizer::FromTokenizerJson(assets + "xlmr-unigram.json");
  EXPECT_EQ(xlmr->IdToToken(0), "<s>");
  EXPECT_EQ(xlmr->unk_id(), 3);
  EXPECT_EQ(xlmr->continuing_subword_prefix(), "");
  EXPECT_EQ(xlmr->decoder_error(), "");
  EXPECT_EQ(xlmr->TokensToString({"▁He", "llo", "▁world"}), "Hello world");
  const auto roberta = Tokenizer::FromTokenizerJson(assets + "roberta-bpe.json");
  EXPECT_EQ(roberta->IdToToken(2), "</s>");
  EXPECT_EQ(roberta->continuing_subword_prefix(), "");
  EXPECT_EQ(roberta->TokensToString({"He", "llo", "Ġw", "Ã¶", "r"}), "Hello wör");
  const auto bpe = Tokenizer::FromTokenizerJson(assets + "bpe-whitespace.json");
  EXPECT_EQ(bpe->continuing_subword_prefix(), "##");
  EXPECT_EQ(bpe->TokensToString({"a", "b"}), "a b");  // no decoder
  EXPECT_EQ(bpe->unk_id(), 1);
  EXPECT_EQ(bpe->IdToToken(1), "[UNK]");
}

}  // namespace
}  // namespace fasterbert::text
