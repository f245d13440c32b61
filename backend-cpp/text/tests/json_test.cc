#include "text/json.h"

#include <gtest/gtest.h>

#include <string>

namespace fasterbert::text {
namespace {

TEST(JsonTest, ParsesEveryKindOfValue) {
  const JsonValue v = ParseJson(
      R"( {"a": null, "b": [true, false], "n": -12, "x": 1.5e2, "s": "q\"\\\/\b\f\n\r\t",
          "o": {}, "e": []} )",
      "test");
  ASSERT_TRUE(v.is_object());
  EXPECT_TRUE(v.Find("a")->is_null());
  ASSERT_EQ(v.Find("b")->array().size(), 2u);
  EXPECT_TRUE(v.Find("b")->array()[0].bool_value());
  EXPECT_FALSE(v.Find("b")->array()[1].bool_value());
  EXPECT_TRUE(v.Find("n")->is_integer());
  EXPECT_EQ(v.Find("n")->integer(), -12);
  EXPECT_FALSE(v.Find("x")->is_integer());
  EXPECT_DOUBLE_EQ(v.Find("x")->number(), 150.0);
  EXPECT_EQ(v.Find("s")->string(), "q\"\\/\b\f\n\r\t");
  EXPECT_TRUE(v.Find("o")->object().empty());
  EXPECT_TRUE(v.Find("e")->array().empty());
  EXPECT_EQ(v.Find("missing"), nullptr);
}

TEST(JsonTest, DecodesUnicodeEscapesAndKeepsUtf8) {
  const JsonValue v = ParseJson(R"(["\u00e9\u4e2d\ud83d\ude00", "é中😀"])", "test");
  EXPECT_EQ(v.array()[0].string(), "\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80");
  EXPECT_EQ(v.array()[1].string(), v.array()[0].string());
}

TEST(JsonTest, LastDuplicateKeyWins) {
  const JsonValue v = ParseJson(R"({"k": 1, "k": 2})", "test");
  EXPECT_EQ(v.Find("k")->integer(), 2);
  EXPECT_EQ(v.object().size(), 2u);
}

TEST(JsonTest, RejectsMalformedDocumentsWithTheirOffset) {
  const char* bad[] = {
      "",          "{",           "[1,]",          "{\"a\" 1}",    "{'a': 1}",   "01",
      "1.",        "-",           "1e",            "tru",          "\"abc",      "\"\\x\"",
      "\"\\u12\"", "\"\\ud800\"", "\"\\udc00x\"",  "\"\\ud800\\u0041\"", "[1] 2", "\"a\tb\"",
      "nul",       "\"\xff\"",
  };
  for (const char* text : bad) {
    EXPECT_THROW(ParseJson(text, "doc"), JsonError) << text;
  }
  try {
    ParseJson("[1, 2,, 3]", "doc.json");
    FAIL();
  } catch (const JsonError& e) {
    EXPECT_NE(std::string(e.what()).find("doc.json: invalid JSON at byte 6"), std::string::npos)
        << e.what();
  }
}

TEST(JsonTest, RejectsVeryDeepNesting) {
  EXPECT_THROW(ParseJson(std::string(1000, '[') + std::string(1000, ']'), "deep"), JsonError);
  EXPECT_NO_THROW(ParseJson(std::string(100, '[') + std::string(100, ']'), "ok"));
}

}  // namespace
}  // namespace fasterbert::text
