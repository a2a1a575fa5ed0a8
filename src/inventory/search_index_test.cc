#include "inventory/search_index.h"

#include <gtest/gtest.h>

#include "testing/sample_inventory.h"

namespace numberpool::inventory {
namespace {

using numbering::NumberType;

class SearchIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto built = SearchIndex::Build(numberpool::testing::SampleInventory());
    ASSERT_TRUE(built.ok()) << built.error().message();
    index_ = std::move(built).value();
  }

  std::vector<std::string> Find(const SearchFilter& f, NumberKey after = 0, size_t limit = 100,
                                bool* more = nullptr) const {
    SearchPage page = index_->Search(f, after, limit);
    if (more) *more = page.more;
    std::vector<std::string> out = NumbersOf(page.runs);
    EXPECT_EQ(out.size(), page.count);
    if (!out.empty()) {
      EXPECT_EQ(E164FromKey(page.last), out.back());
    }
    return out;
  }

  static SearchFilter Us() { return SearchFilter{}; }

  std::unique_ptr<SearchIndex> index_;
};

TEST_F(SearchIndexTest, FindsByAreaCode) {
  SearchFilter f = Us();
  f.area_code = "206";
  EXPECT_EQ(Find(f), (std::vector<std::string>{"+12062000000", "+12062000001", "+12062000002",
                                               "+12062010005", "+12062019999", "+12062020042"}));
  f.area_code = "999";
  EXPECT_TRUE(Find(f).empty());
}

TEST_F(SearchIndexTest, FindsByState) {
  SearchFilter f = Us();
  f.state = "NY";
  EXPECT_EQ(Find(f), (std::vector<std::string>{"+12122000100", "+12122000200"}));
  f.state = "AK";  // a state with no stock
  EXPECT_TRUE(Find(f).empty());
}

TEST_F(SearchIndexTest, FindsByCityWithinState) {
  SearchFilter f = Us();
  f.state = "WA";
  f.city = NormalizeCityName("  SEATTLE ");
  EXPECT_EQ(Find(f).size(), 5u);
  f.city = "olympia";
  EXPECT_EQ(Find(f), (std::vector<std::string>{"+13602000007"}));
  f.state = "NY";  // Olympia is not in New York
  EXPECT_TRUE(Find(f).empty());
  f.city = "nowhere";
  EXPECT_TRUE(Find(f).empty());
}

TEST_F(SearchIndexTest, CombinedFiltersNarrow) {
  SearchFilter f = Us();
  f.state = "WA";
  EXPECT_EQ(Find(f).size(), 7u);
  f.area_code = "360";
  EXPECT_EQ(Find(f), (std::vector<std::string>{"+13602000007"}));
  f.area_code = "212";  // area code of another state
  EXPECT_TRUE(Find(f).empty());
  f.area_code = "206";
  f.city = "seattle";
  EXPECT_EQ(Find(f).size(), 5u);
}

TEST_F(SearchIndexTest, FindsTollFree) {
  SearchFilter f = Us();
  f.type = NumberType::kTollFree;
  f.toll_free_prefix = "800";
  EXPECT_EQ(Find(f), (std::vector<std::string>{"+18002000001", "+18002000002", "+18002000003"}));
  f.toll_free_prefix = "888";
  EXPECT_EQ(Find(f), (std::vector<std::string>{"+18882000004"}));
  f.toll_free_prefix = "877";
  EXPECT_TRUE(Find(f).empty());
}

TEST_F(SearchIndexTest, FindsOtherCountriesByType) {
  SearchFilter f;
  f.country = "GB";
  f.type = NumberType::kLocal;
  EXPECT_EQ(Find(f), (std::vector<std::string>{"+441212340010", "+441212340020"}));
  f.type = NumberType::kTollFree;
  EXPECT_EQ(Find(f), (std::vector<std::string>{"+448001234030"}));
  f.country = "FR";
  EXPECT_TRUE(Find(f).empty());
}

TEST_F(SearchIndexTest, PagesWithLookAhead) {
  SearchFilter f = Us();
  f.area_code = "206";
  bool more = false;
  EXPECT_EQ(Find(f, 0, 5, &more).size(), 5u);
  EXPECT_TRUE(more);
  EXPECT_EQ(Find(f, 0, 6, &more).size(), 6u);
  EXPECT_FALSE(more) << "exactly the remaining numbers: no further page";
  EXPECT_EQ(Find(f, 0, 7, &more).size(), 6u);
  EXPECT_FALSE(more);
}

TEST_F(SearchIndexTest, ResumesAfterCursorInsideAndBetweenBlocks) {
  SearchFilter f = Us();
  f.area_code = "206";
  bool more = false;
  EXPECT_EQ(Find(f, *KeyFromE164("+12062000001"), 2, &more),
            (std::vector<std::string>{"+12062000002", "+12062010005"}));
  EXPECT_TRUE(more);
  // A cursor that is not itself in stock still resumes after it.
  EXPECT_EQ(Find(f, *KeyFromE164("+12062015000"), 10, &more),
            (std::vector<std::string>{"+12062019999", "+12062020042"}));
  EXPECT_FALSE(more);
  EXPECT_TRUE(Find(f, *KeyFromE164("+12062020042")).empty());
  EXPECT_TRUE(Find(f, *KeyFromE164("+999999999999999")).empty());
}

TEST_F(SearchIndexTest, SkipsUnavailableNumbers) {
  Inventory inv = numberpool::testing::SampleInventory();
  inv.numbers[0].available = false;
  auto index = SearchIndex::Build(inv);
  ASSERT_TRUE(index.ok());
  SearchFilter f = Us();
  f.area_code = "206";
  EXPECT_EQ((*index)->Search(f, 0, 100).count, 5u);
  EXPECT_EQ((*index)->number_count(), inv.numbers.size() - 1);
}

TEST(SearchIndexBuild, RejectsBrokenInvariants) {
  {
    Inventory inv = numberpool::testing::SampleInventory();
    std::swap(inv.numbers[0], inv.numbers[1]);
    EXPECT_EQ(SearchIndex::Build(inv).error().kind(), ErrorKind::kCorrupt);
  }
  {
    Inventory inv = numberpool::testing::SampleInventory();
    inv.numbers[0].block = 1;  // outside its block
    EXPECT_EQ(SearchIndex::Build(inv).error().kind(), ErrorKind::kCorrupt);
  }
  {
    Inventory inv = numberpool::testing::SampleInventory();
    inv.blocks[1] = inv.blocks[0];  // overlapping blocks
    EXPECT_EQ(SearchIndex::Build(inv).error().kind(), ErrorKind::kCorrupt);
  }
  {
    Inventory inv = numberpool::testing::SampleInventory();
    inv.blocks[0].state = "XX";
    EXPECT_EQ(SearchIndex::Build(inv).error().kind(), ErrorKind::kCorrupt);
  }
  {
    Inventory inv = numberpool::testing::SampleInventory();
    inv.blocks[0].prefix = "12x6200";
    EXPECT_EQ(SearchIndex::Build(inv).error().kind(), ErrorKind::kCorrupt);
  }
}

TEST(NormalizeCityName, TrimsCollapsesAndLowerCases) {
  EXPECT_EQ(NormalizeCityName("  New   York "), "new york");
  EXPECT_EQ(NormalizeCityName("SEATTLE"), "seattle");
  EXPECT_EQ(NormalizeCityName("   "), "");
}

}  // namespace
}  // namespace numberpool::inventory
