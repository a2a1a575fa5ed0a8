#include "api/search_request.h"

#include <gtest/gtest.h>

#include "common/uri.h"

namespace numberpool::api {
namespace {

using numbering::NumberType;

SearchRequest Ok(std::string_view query) {
  Result<SearchRequest> r = ParseSearchQuery(query);
  EXPECT_TRUE(r.ok()) << query << ": " << (r.ok() ? "" : r.error().message());
  return r.ok() ? *r : SearchRequest{};
}

// Expects a kBadRequest whose message contains `names` (the parameter it is about).
void Rejected(std::string_view query, std::string_view names) {
  Result<SearchRequest> r = ParseSearchQuery(query);
  ASSERT_FALSE(r.ok()) << query;
  EXPECT_EQ(r.error().kind(), ErrorKind::kBadRequest) << query;
  EXPECT_NE(r.error().message().find(names), std::string::npos)
      << query << " -> " << r.error().message();
}

TEST(SearchRequest, ParsesTheSeedExamples) {
  SearchRequest a = Ok("type=phone-numbers&area-code=206");
  EXPECT_EQ(a.filter.country, "US");
  EXPECT_EQ(a.filter.area_code, "206");
  EXPECT_EQ(a.filter.type, NumberType::kLocal);
  EXPECT_EQ(a.max_results, 100u);
  SearchRequest b = Ok("type=phone-numbers&country=GB&phone-number-type=Local");
  EXPECT_EQ(b.filter.country, "GB");
  EXPECT_EQ(b.filter.type, NumberType::kLocal);
}

TEST(SearchRequest, TypeMustBePhoneNumbers) {
  Rejected("", "type");
  Rejected("area-code=206", "type");
  Rejected("type=phone-number&area-code=206", "type");
  Rejected("type=Phone-Numbers&area-code=206", "type");
}

TEST(SearchRequest, ParametersAtMostOnceNonEmptyAndKnown) {
  Rejected("type=phone-numbers&area-code=206&area-code=207", "area-code");
  Rejected("type=phone-numbers&type=phone-numbers&area-code=206", "type");
  Rejected("type=phone-numbers&area-code=", "area-code");
  Rejected("type=phone-numbers&area-code", "area-code");
  Rejected("type=phone-numbers&areacode=206", "areacode");
  Rejected("type=phone-numbers&AREA-CODE=206", "AREA-CODE");
  Rejected("type=phone-numbers&&area-code=206", "empty parameter");
  Rejected("type=phone-numbers&area-code=206&", "empty parameter");
}

TEST(SearchRequest, IgnoresPresignParameters) {
  Ok("type=phone-numbers&area-code=206&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date="
     "20150830T123600Z");
}

TEST(SearchRequest, PercentEncoding) {
  EXPECT_EQ(Ok("type=phone-numbers&state=WA&city=New%20%20York").filter.city, "new york");
  EXPECT_EQ(Ok("%74ype=phone-numbers&area%2Dcode=2%306").filter.area_code, "206");
  Rejected("type=phone-numbers&city=a%2&state=WA", "city");
  Rejected("type=phone-numbers&city=a%zz&state=WA", "city");
  Rejected("type=phone-numbers&city=a%&state=WA", "city");
  Rejected("type=phone-numbers&ar%xxea-code=206", "percent-encoding");
}

TEST(SearchRequest, PlusIsLiteral) {
  // '+' is not a space: "San+Jose" is a city name with a plus sign, found nowhere.
  EXPECT_EQ(Ok("type=phone-numbers&state=CA&city=San+Jose").filter.city, "san+jose");
  Rejected("type=phone-numbers&area-code=+206", "area-code");
}

TEST(SearchRequest, Country) {
  EXPECT_EQ(Ok("type=phone-numbers&country=US&area-code=206").filter.country, "US");
  Rejected("type=phone-numbers&country=us&area-code=206", "country");
  Rejected("type=phone-numbers&country=USA&area-code=206", "country");
  Rejected("type=phone-numbers&country=U1&phone-number-type=Local", "country");
  Rejected("type=phone-numbers&country=ZZ&phone-number-type=Local", "country");
}

TEST(SearchRequest, PhoneNumberType) {
  EXPECT_EQ(Ok("type=phone-numbers&country=GB&phone-number-type=TollFree").filter.type,
            NumberType::kTollFree);
  Rejected("type=phone-numbers&country=GB&phone-number-type=Mobile", "phone-number-type");
  Rejected("type=phone-numbers&country=GB&phone-number-type=local", "phone-number-type");
}

TEST(SearchRequest, MaxResults) {
  EXPECT_EQ(Ok("type=phone-numbers&area-code=206&max-results=1").max_results, 1u);
  EXPECT_EQ(Ok("type=phone-numbers&area-code=206&max-results=500").max_results, 500u);
  EXPECT_EQ(Ok("type=phone-numbers&area-code=206&max-results=007").max_results, 7u);
  for (const char* bad :
       {"0", "501", "-1", "+5", "5.0", "1e2", "%205", "5%20", "99999999999999999999999999"}) {
    Rejected(std::string("type=phone-numbers&area-code=206&max-results=") + bad, "max-results");
  }
}

TEST(SearchRequest, TollFreePrefix) {
  for (const char* p : {"800", "833", "844", "855", "866", "877", "888"}) {
    SearchRequest r = Ok(std::string("type=phone-numbers&toll-free-prefix=") + p);
    EXPECT_EQ(r.filter.type, NumberType::kTollFree);
    EXPECT_EQ(r.filter.toll_free_prefix, p);
  }
  for (const char* bad : {"812", "899", "80", "8000", "abc"}) {
    Rejected(std::string("type=phone-numbers&toll-free-prefix=") + bad, "toll-free-prefix");
  }
}

TEST(SearchRequest, AreaCode) {
  for (const char* bad : {"106", "012", "20", "2066", "20a", "%32%30"}) {
    Rejected(std::string("type=phone-numbers&area-code=") + bad, "area-code");
  }
  Ok("type=phone-numbers&area-code=999");  // well-formed, even if nothing is in stock
}

TEST(SearchRequest, StateAndCity) {
  EXPECT_EQ(Ok("type=phone-numbers&state=wa").filter.state, "WA");
  EXPECT_EQ(Ok("type=phone-numbers&state=DC").filter.state, "DC");
  Rejected("type=phone-numbers&state=PR", "state");
  Rejected("type=phone-numbers&state=Washington", "state");
  Rejected("type=phone-numbers&city=Seattle", "city");
  Rejected("type=phone-numbers&state=WA&city=%20%20", "city");
  Rejected("type=phone-numbers&state=WA&city=Sea%0Attle", "city");
  Rejected("type=phone-numbers&state=WA&city=" + std::string(200, 'a'), "city");
  EXPECT_EQ(Ok("type=phone-numbers&state=WA&city=%20Seattle%20").filter.city, "seattle");
}

TEST(SearchRequest, UsNeedsAGeographicOrTollFreeFilter) {
  Rejected("type=phone-numbers", "area-code");
  Rejected("type=phone-numbers&country=US", "area-code");
  Rejected("type=phone-numbers&phone-number-type=Local", "area-code");
  Rejected("type=phone-numbers&phone-number-type=TollFree", "toll-free-prefix");
  Rejected("type=phone-numbers&max-results=5", "area-code");
}

TEST(SearchRequest, UsCombinations) {
  Rejected("type=phone-numbers&toll-free-prefix=800&area-code=206", "toll-free-prefix");
  Rejected("type=phone-numbers&toll-free-prefix=800&state=WA", "toll-free-prefix");
  Rejected("type=phone-numbers&toll-free-prefix=800&state=WA&city=Seattle", "toll-free-prefix");
  Rejected("type=phone-numbers&toll-free-prefix=800&phone-number-type=Local", "phone-number-type");
  Rejected("type=phone-numbers&phone-number-type=TollFree&area-code=206", "phone-number-type");
  Rejected("type=phone-numbers&phone-number-type=TollFree&state=WA", "phone-number-type");
  SearchRequest all =
      Ok("type=phone-numbers&area-code=206&state=WA&city=Seattle&phone-number-type=Local");
  EXPECT_EQ(all.filter.area_code, "206");
  EXPECT_EQ(all.filter.state, "WA");
  EXPECT_EQ(all.filter.city, "seattle");
  EXPECT_EQ(Ok("type=phone-numbers&toll-free-prefix=800&phone-number-type=TollFree").filter.type,
            NumberType::kTollFree);
}

TEST(SearchRequest, OtherCountries) {
  Rejected("type=phone-numbers&country=GB", "phone-number-type");
  Rejected("type=phone-numbers&country=GB&phone-number-type=Local&area-code=206",
           "only applies to the US");
  Rejected("type=phone-numbers&country=GB&phone-number-type=Local&state=WA", "state");
  Rejected("type=phone-numbers&country=GB&phone-number-type=Local&city=London", "city");
  Rejected("type=phone-numbers&country=GB&phone-number-type=TollFree&toll-free-prefix=800",
           "toll-free-prefix");
}

TEST(SearchRequest, KeepsTheNextToken) {
  EXPECT_EQ(Ok("type=phone-numbers&area-code=206&next-token=abc").next_token, "abc");
}

TEST(SearchRequest, EchoesHostileInputSafely) {
  Result<SearchRequest> r =
      ParseSearchQuery("type=phone-numbers&" + std::string(10000, 'x') + "=1");
  ASSERT_FALSE(r.ok());
  EXPECT_LT(r.error().message().size(), 200u);
}

TEST(PercentEncoding, RoundTripsAndEscapesReservedBytes) {
  EXPECT_EQ(PercentEncode("New York+&=%"), "New%20York%2B%26%3D%25");
  EXPECT_EQ(PercentEncode("a-b_c.d~"), "a-b_c.d~");
  EXPECT_EQ(PercentEncode("/a b/", true), "/a%20b/");
  EXPECT_EQ(PercentDecode("New%20York%2b+"), "New York++");
  EXPECT_FALSE(PercentDecode("%4"));
  EXPECT_FALSE(PercentDecode("%g0"));
}

}  // namespace
}  // namespace numberpool::api
