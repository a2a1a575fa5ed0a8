#include "api/search_service.h"

#include <gtest/gtest.h>

#include "testing/sample_inventory.h"

namespace numberpool::api {
namespace {

class SearchServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    index_ =
        std::move(inventory::SearchIndex::Build(numberpool::testing::SampleInventory())).value();
    inventory::TokenKey key;
    key.fill(3);
    tokens_ = std::make_unique<inventory::PageTokenCodec>(key);
    service_ = std::make_unique<SearchService>(*index_, *tokens_);
  }

  Result<SearchResponse> Search(const std::string& query) const {
    auto req = ParseSearchQuery(query);
    if (!req.ok()) return req.error();
    return service_->Search(*req);
  }

  std::unique_ptr<inventory::SearchIndex> index_;
  std::unique_ptr<inventory::PageTokenCodec> tokens_;
  std::unique_ptr<SearchService> service_;
};

TEST_F(SearchServiceTest, PagesThroughEveryNumberOnceWhateverThePageSizes) {
  const std::vector<size_t> sizes = {1, 2, 3, 1, 5, 1};
  std::vector<inventory::NumberKey> seen;
  std::string token;
  for (size_t page = 0;; ++page) {
    std::string q = "type=phone-numbers&area-code=206&max-results=" +
                    std::to_string(sizes[page % sizes.size()]);
    if (!token.empty()) q += "&next-token=" + token;
    auto r = Search(q);
    ASSERT_TRUE(r.ok()) << r.error().message();
    ASSERT_GT(r->count, 0u) << "a token led to an empty page";
    for (const std::string& n : inventory::NumbersOf(r->runs)) {
      seen.push_back(*inventory::KeyFromE164(n));
    }
    if (!r->next_token) break;
    token = *r->next_token;
  }
  ASSERT_EQ(seen.size(), 6u);
  for (size_t i = 1; i < seen.size(); ++i) EXPECT_LT(seen[i - 1], seen[i]);
}

TEST_F(SearchServiceTest, NoTokenOnTheLastPage) {
  auto r = Search("type=phone-numbers&area-code=206&max-results=6");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->count, 6u);
  EXPECT_FALSE(r->next_token);
}

TEST_F(SearchServiceTest, TokenIsBoundToTheFilters) {
  auto first = Search("type=phone-numbers&state=WA&max-results=2");
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(first->next_token);
  const std::string& t = *first->next_token;
  // The same filters, spelled differently or with another page size: accepted.
  EXPECT_TRUE(Search("type=phone-numbers&state=wa&max-results=4&next-token=" + t).ok());
  // Other filters: rejected, naming next-token.
  for (const std::string& q : {"type=phone-numbers&state=NY&next-token=" + t,
                              "type=phone-numbers&state=WA&area-code=206&next-token=" + t,
                              "type=phone-numbers&toll-free-prefix=800&next-token=" + t,
                              "type=phone-numbers&state=WA&next-token=" + t + "x",
                              std::string("type=phone-numbers&state=WA&next-token=garbage")}) {
    auto r = Search(q);
    ASSERT_FALSE(r.ok()) << q;
    EXPECT_EQ(r.error().kind(), ErrorKind::kBadRequest);
    EXPECT_NE(r.error().message().find("next-token"), std::string::npos);
  }
}

TEST_F(SearchServiceTest, RendersTheChimeJsonShape) {
  std::string body;
  ASSERT_TRUE(service_->SearchQuery("type=phone-numbers&toll-free-prefix=888", body).ok());
  EXPECT_EQ(body, R"({"E164PhoneNumbers":["+18882000004"],"NextToken":null})");
  body.clear();
  ASSERT_TRUE(
      service_->SearchQuery("type=phone-numbers&country=FR&phone-number-type=Local", body).ok());
  EXPECT_EQ(body, R"({"E164PhoneNumbers":[],"NextToken":null})");
  body.clear();
  ASSERT_TRUE(
      service_->SearchQuery("type=phone-numbers&toll-free-prefix=800&max-results=1", body).ok());
  EXPECT_EQ(body.rfind(R"({"E164PhoneNumbers":["+18002000001"],"NextToken":")", 0), 0u) << body;
  body.clear();
  EXPECT_FALSE(service_->SearchQuery("type=phone-numbers", body).ok());
  EXPECT_TRUE(body.empty());
}

}  // namespace
}  // namespace numberpool::api
