// Generates the real default inventory once and re-checks it with libphonenumber number by
// number (a sample of the US, all of the rest).

#include "inventory/inventory_generator.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "inventory/search_index.h"
#include "numbering/numbering_plan.h"
#include "numbering/us_states.h"

namespace numberpool::inventory {
namespace {

using numbering::NumberType;

class InventoryGeneratorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    blocks_ = new std::vector<numbering::BlockSpec>(numbering::EnumerateBlocks(0, {}));
    inventory_ = new Inventory(GenerateInventory(*blocks_, GeneratorOptions{}));
  }
  static void TearDownTestSuite() {
    delete inventory_;
    delete blocks_;
  }
  static std::vector<numbering::BlockSpec>* blocks_;
  static Inventory* inventory_;
};

std::vector<numbering::BlockSpec>* InventoryGeneratorTest::blocks_ = nullptr;
Inventory* InventoryGeneratorTest::inventory_ = nullptr;

TEST_F(InventoryGeneratorTest, HasAtLeastAMillionNumbersAndBuildsAnIndex) {
  EXPECT_GE(inventory_->numbers.size(), 1'000'000u);
  auto index = SearchIndex::Build(*inventory_);
  ASSERT_TRUE(index.ok()) << index.error().message();
  EXPECT_EQ((*index)->number_count(), inventory_->numbers.size());
}

TEST_F(InventoryGeneratorTest, EveryNumberOutsideTheUsIsValidOfItsType) {
  size_t checked = 0;
  for (const InventoryNumber& n : inventory_->numbers) {
    const auto& b = inventory_->blocks[n.block];
    if (b.region == "US") continue;
    const std::string e164 = E164FromKey(n.key);
    const numbering::NumberFacts facts = numbering::ClassifyNumber(e164);
    ASSERT_TRUE(facts.valid) << e164 << " filed under " << b.region;
    ASSERT_EQ(facts.region, b.region) << e164;
    ASSERT_EQ(facts.type, b.type) << e164;
    ++checked;
  }
  EXPECT_GT(checked, 10'000u);
}

TEST_F(InventoryGeneratorTest, SampledUsNumbersAreValidOfTheirType) {
  size_t checked = 0;
  for (size_t i = 0; i < inventory_->numbers.size(); i += 211) {
    const InventoryNumber& n = inventory_->numbers[i];
    const auto& b = inventory_->blocks[n.block];
    if (b.region != "US") continue;
    const std::string e164 = E164FromKey(n.key);
    const numbering::NumberFacts facts = numbering::ClassifyNumber(e164);
    ASSERT_TRUE(facts.valid) << e164;
    ASSERT_EQ(facts.region, "US") << e164;
    ASSERT_EQ(facts.type, b.type) << e164;
    ++checked;
  }
  EXPECT_GT(checked, 4'000u);
}

TEST_F(InventoryGeneratorTest, UsLocalBlocksCarryGeographyAndSkipReservedExchanges) {
  std::set<std::string> area_codes;
  size_t with_city = 0, local = 0;
  for (const auto& b : *blocks_) {
    if (b.region != "US" || b.type != NumberType::kLocal) continue;
    ++local;
    const int nxx = std::stoi(b.prefix.substr(4, 3));
    EXPECT_FALSE(nxx % 100 == 11 || nxx == 555 || nxx == 950 || nxx == 976) << b.prefix;
    EXPECT_EQ(b.area_code, b.prefix.substr(1, 3));
    EXPECT_TRUE(b.state.empty() || numbering::IsUsStateCode(b.state)) << b.prefix;
    if (!b.city.empty()) ++with_city;
    area_codes.insert(b.area_code);
  }
  EXPECT_GT(local, 250'000u);
  EXPECT_GT(with_city, 30'000u);
  EXPECT_GT(area_codes.size(), 300u);
  // Seattle is in the offline geocoder's data.
  bool seattle = false;
  for (const auto& b : *blocks_)
    seattle |= b.area_code == "206" && b.city == "Seattle" && b.state == "WA";
  EXPECT_TRUE(seattle);
}

TEST_F(InventoryGeneratorTest, CoversTollFreePrefixesAndOtherRegions) {
  std::set<std::string> prefixes;
  std::map<std::string, std::set<NumberType>> regions;
  for (const auto& b : *blocks_) {
    if (b.region == "US" && b.type == NumberType::kTollFree) prefixes.insert(b.prefix.substr(1, 3));
    regions[b.region].insert(b.type);
  }
  EXPECT_EQ(prefixes, (std::set<std::string>{"800", "833", "844", "855", "866", "877", "888"}));
  EXPECT_GT(regions.size(), 200u);
  EXPECT_EQ(regions["GB"], (std::set<NumberType>{NumberType::kLocal, NumberType::kTollFree}));
  EXPECT_TRUE(regions["DE"].count(NumberType::kLocal));
  EXPECT_TRUE(regions["JP"].count(NumberType::kLocal));
}

TEST_F(InventoryGeneratorTest, IsDeterministicPerSeed) {
  // A slice of blocks keeps this quick; the choice per block does not depend on the others.
  std::vector<numbering::BlockSpec> slice(blocks_->begin(), blocks_->begin() + 2000);
  const Inventory a = GenerateInventory(slice, {4, 42});
  const Inventory b = GenerateInventory(slice, {4, 42});
  const Inventory c = GenerateInventory(slice, {4, 43});
  ASSERT_EQ(a.numbers.size(), b.numbers.size());
  bool differs = false;
  for (size_t i = 0; i < a.numbers.size(); ++i) {
    EXPECT_EQ(a.numbers[i].key, b.numbers[i].key);
    differs |= a.numbers[i].key != c.numbers[i].key;
  }
  EXPECT_TRUE(differs);
}

TEST(InventoryGenerator, CapsPerBlockAtBlockSize) {
  numbering::BlockSpec b;
  b.region = "GB";
  b.prefix = "4412123400";
  b.suffix_digits = 1;
  const Inventory inv = GenerateInventory({b}, {100, 1});
  ASSERT_EQ(inv.numbers.size(), 10u);
  for (size_t i = 0; i < 10; ++i)
    EXPECT_EQ(E164FromKey(inv.numbers[i].key), "+4412123400" + std::to_string(i));
}

}  // namespace
}  // namespace numberpool::inventory
