#include "common/json_writer.h"

#include <gtest/gtest.h>

namespace numberpool {
namespace {

std::string Json(std::string_view s) {
  std::string out;
  AppendJsonString(out, s);
  return out;
}

TEST(JsonWriter, QuotesPlainText) { EXPECT_EQ(Json("abc"), "\"abc\""); }

TEST(JsonWriter, EscapesQuotesBackslashesAndControls) {
  EXPECT_EQ(Json("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(Json(std::string("\n\t\x01\x7f", 4)), R"("\u000a\u0009\u0001\u007f")");
  EXPECT_EQ(Json(std::string("\0", 1)), R"("\u0000")");
}

TEST(JsonWriter, KeepsWellFormedUtf8) {
  EXPECT_EQ(Json("Ca\xc3\xb1on \xe2\x82\xac"), "\"Ca\xc3\xb1on \xe2\x82\xac\"");
}

TEST(JsonWriter, ReplacesMalformedUtf8) {
  EXPECT_EQ(Json("\xff"), R"("\ufffd")");
  EXPECT_EQ(Json("\xc3"), R"("\ufffd")");                      // truncated
  EXPECT_EQ(Json("\xc0\xaf"), R"("\ufffd\ufffd")");            // overlong
  EXPECT_EQ(Json("\xed\xa0\x80"), R"("\ufffd\ufffd\ufffd")");  // surrogate
}

TEST(JsonWriter, AbbreviatesLongText) {
  EXPECT_EQ(Abbreviate("short"), "short");
  EXPECT_EQ(Abbreviate(std::string(100, 'x'), 10), std::string(10, 'x') + "...");
}

}  // namespace
}  // namespace numberpool
