#include "common/uri.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace numberpool {
namespace {

// "name=value" per piece, "name" alone for a piece without '=', "" for an empty one.
std::vector<std::string> Pieces(std::string_view query) {
  std::vector<std::string> out;
  QueryPiece p;
  for (QuerySplitter pieces(query); pieces.Next(p);) {
    out.push_back(std::string(p.name) +
                  (p.text.size() > p.name.size() ? "=" + std::string(p.value) : ""));
    EXPECT_EQ(p.text.substr(0, p.name.size()), p.name);
  }
  return out;
}

TEST(QuerySplitter, SplitsAtAmpersandsAndTheFirstEquals) {
  using V = std::vector<std::string>;
  EXPECT_EQ(Pieces(""), V{});
  EXPECT_EQ(Pieces("a=1"), V{"a=1"});
  EXPECT_EQ(Pieces("a=1&b=&c"), (V{"a=1", "b=", "c"}));
  EXPECT_EQ(Pieces("a=b=c"), V{"a=b=c"});
  EXPECT_EQ(Pieces("a%26=%3D"), V{"a%26=%3D"});  // still encoded
  // Stray ampersands make empty pieces, for the caller to refuse or skip.
  EXPECT_EQ(Pieces("&"), (V{"", ""}));
  EXPECT_EQ(Pieces("a&&b"), (V{"a", "", "b"}));
  EXPECT_EQ(Pieces("a&"), (V{"a", ""}));
}

TEST(PercentEncoding, RoundTripsAndRefusesMalformedEscapes) {
  EXPECT_EQ(PercentEncode("a b/~+"), "a%20b%2F~%2B");
  EXPECT_EQ(PercentEncode("a b/", /*keep_slash=*/true), "a%20b/");
  EXPECT_EQ(PercentDecode("a%20b%2f+"), std::optional<std::string>("a b/+"));
  for (const char* bad : {"%", "%4", "%G0", "a%2"}) EXPECT_FALSE(PercentDecode(bad)) << bad;
  std::string out = "x";
  EXPECT_TRUE(AppendPercentDecoded(out, "%41"));
  EXPECT_EQ(out, "xA");
}

}  // namespace
}  // namespace numberpool
