// Parsing Triton's serialized BYTES tensors, including malformed buffers a
// client could send.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "triton/bytes_tensor.h"

namespace fasterbert::triton {
namespace {

std::string Element(const std::string& s) {
  const uint32_t n = static_cast<uint32_t>(s.size());
  std::string out(reinterpret_cast<const char*>(&n), sizeof(n));
  return out + s;
}

TEST(ParseBytesElements, ReadsEachElement) {
  const std::string buffer = Element("hello") + Element("") + Element("\xe4\xbd\xa0");
  std::vector<std::string_view> rows;
  EXPECT_EQ(ParseBytesElements(buffer, 3, &rows), "");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], "hello");
  EXPECT_EQ(rows[1], "");
  EXPECT_EQ(rows[2], "\xe4\xbd\xa0");
}

TEST(ParseBytesElements, RejectsLengthPastTheEnd) {
  std::string buffer = Element("hello");
  buffer.pop_back();
  std::vector<std::string_view> rows;
  EXPECT_NE(ParseBytesElements(buffer, 1, &rows).find("claims 5 bytes"), std::string::npos);
}

TEST(ParseBytesElements, RejectsMissingPrefix) {
  std::vector<std::string_view> rows;
  EXPECT_NE(ParseBytesElements("ab", 1, &rows).find("no length prefix"), std::string::npos);
}

TEST(ParseBytesElements, RejectsTrailingBytes) {
  std::vector<std::string_view> rows;
  EXPECT_NE(ParseBytesElements(Element("a") + "zz", 1, &rows).find("trailing"),
            std::string::npos);
}

TEST(SerializeBytesElements, RoundTripsThroughParse) {
  const std::vector<std::string> elements = {"label", "", "\xe4\xbd\xa0"};
  std::string buffer(SerializedBytesSize(elements.data(), elements.size()), '\0');
  EXPECT_EQ(buffer.size(), 3 * 4 + 5 + 0 + 3u);
  SerializeBytesElements(elements.data(), elements.size(), buffer.data());
  std::vector<std::string_view> rows;
  EXPECT_EQ(ParseBytesElements(buffer, 3, &rows), "");
  EXPECT_EQ(std::vector<std::string>(rows.begin(), rows.end()), elements);
}

}  // namespace
}  // namespace fasterbert::triton
