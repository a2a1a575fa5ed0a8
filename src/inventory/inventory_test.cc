#include "inventory/inventory.h"

#include <gtest/gtest.h>

namespace numberpool::inventory {
namespace {

TEST(NumberKey, RoundTripsE164) {
  for (const char* e164 : {"+12065550100", "+4930123456", "+999999999999999", "+10"}) {
    const auto key = KeyFromE164(e164);
    ASSERT_TRUE(key) << e164;
    EXPECT_EQ(E164FromKey(*key), e164);
  }
}

TEST(NumberKey, RejectsMalformed) {
  for (const char* bad :
       {"", "+", "12065550100", "+0123", "+1", "+1234567890123456", "+12a4", "+ 1234"}) {
    EXPECT_FALSE(KeyFromE164(bad)) << bad;
  }
}

TEST(NumberKey, OrdersByLengthThenValue) {
  EXPECT_LT(*KeyFromE164("+99999999"), *KeyFromE164("+100000000"));
  EXPECT_LT(*KeyFromE164("+12065550100"), *KeyFromE164("+12065550101"));
  EXPECT_LT(*KeyFromE164("+4930123456"), *KeyFromE164("+12065550100"));
}

TEST(NumberKey, BlockRange) {
  numbering::BlockSpec b;
  b.prefix = "1206555";
  b.suffix_digits = 4;
  EXPECT_EQ(E164FromKey(BlockFirstKey(b)), "+12065550000");
  EXPECT_EQ(E164FromKey(BlockLastKey(b)), "+12065559999");
}

}  // namespace
}  // namespace numberpool::inventory
