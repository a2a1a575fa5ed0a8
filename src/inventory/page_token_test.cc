#include "inventory/page_token.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

namespace numberpool::inventory {
namespace {

TokenKey Key(uint8_t fill) {
  TokenKey k;
  k.fill(fill);
  return k;
}

const NumberKey kLast = *KeyFromE164("+12065550100");

TEST(PageToken, RoundTrips) {
  const PageTokenCodec codec(Key(7));
  const std::string token = codec.Encode("US|Local|206", kLast);
  EXPECT_EQ(codec.Decode(token, "US|Local|206"), kLast);
  for (char c : token) {
    EXPECT_TRUE(isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') << token;
  }
}

TEST(PageToken, IsDeterministicPerKey) {
  EXPECT_EQ(PageTokenCodec(Key(1)).Encode("f", kLast), PageTokenCodec(Key(1)).Encode("f", kLast));
  EXPECT_NE(PageTokenCodec(Key(1)).Encode("f", kLast), PageTokenCodec(Key(2)).Encode("f", kLast));
}

TEST(PageToken, RejectsEveryAlteredCharacter) {
  const PageTokenCodec codec(Key(7));
  const std::string token = codec.Encode("fp", kLast);
  for (size_t i = 0; i < token.size(); ++i) {
    for (char c : {'A', 'z', '0', '-', '_'}) {
      if (token[i] == c) continue;
      std::string altered = token;
      altered[i] = c;
      EXPECT_FALSE(codec.Decode(altered, "fp")) << "position " << i << " -> " << c;
    }
  }
}

TEST(PageToken, RejectsOtherFingerprintAndKey) {
  const PageTokenCodec codec(Key(7));
  const std::string token = codec.Encode("US|Local|206", kLast);
  EXPECT_FALSE(codec.Decode(token, "US|Local|207"));
  EXPECT_FALSE(codec.Decode(token, ""));
  EXPECT_FALSE(PageTokenCodec(Key(8)).Decode(token, "US|Local|206"));
}

TEST(PageToken, RejectsMalformed) {
  const PageTokenCodec codec(Key(7));
  const std::string token = codec.Encode("fp", kLast);
  EXPECT_FALSE(codec.Decode("", "fp"));
  EXPECT_FALSE(codec.Decode(token.substr(1), "fp"));
  EXPECT_FALSE(codec.Decode(token + "A", "fp"));
  EXPECT_FALSE(codec.Decode(std::string(token.size(), '='), "fp"));
  std::string with_space = token;
  with_space[3] = ' ';
  EXPECT_FALSE(codec.Decode(with_space, "fp"));
}

}  // namespace
}  // namespace numberpool::inventory

#include <openssl/hmac.h>

namespace numberpool::inventory {
namespace {

// The MAC is standard HMAC-SHA256 (truncated): a token's last 16 bytes equal OpenSSL's HMAC().
TEST(PageToken, MacIsHmacSha256) {
  const TokenKey key = Key(9);
  const std::string token = PageTokenCodec(key).Encode("fp", 0x0102030405060708ULL);
  std::string raw;
  uint32_t acc = 0;
  int bits = 0;
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (char c : token) {
    acc = (acc << 6) | static_cast<uint32_t>(alphabet.find(c));
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      raw.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  ASSERT_EQ(raw.size(), 25u);
  const std::string message = raw.substr(0, 9) + "fp";
  unsigned char mac[32];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), 32, reinterpret_cast<const unsigned char*>(message.data()),
       message.size(), mac, &len);
  EXPECT_EQ(raw.substr(9), std::string(reinterpret_cast<char*>(mac), 16));
}

}  // namespace
}  // namespace numberpool::inventory
