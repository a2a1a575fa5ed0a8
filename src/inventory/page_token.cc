#include "inventory/page_token.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <cstdlib>
#include <string>

namespace numberpool::inventory {
namespace {

constexpr uint8_t kVersion = 1;
constexpr size_t kMacBytes = 16;
constexpr size_t kRawBytes = 1 + 8 + kMacBytes;
constexpr size_t kTokenChars = (kRawBytes * 8 + 5) / 6;  // base64url without padding
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

using Raw = std::array<uint8_t, kRawBytes>;

// What the MAC covers: version, number and fingerprint (the fingerprint last, its length
// implied, since the rest is fixed-size).
std::string Message(const Raw& raw, std::string_view fingerprint) {
  std::string message(reinterpret_cast<const char*>(raw.data()), 9);
  message.append(fingerprint);
  return message;
}

int DecodeChar(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

}  // namespace

std::string PageTokenCodec::Encode(std::string_view fingerprint, NumberKey last) const {
  Raw raw{};
  raw[0] = kVersion;
  for (int i = 0; i < 8; ++i) raw[1 + i] = static_cast<uint8_t>(last >> (56 - 8 * i));
  const Digest256 mac = mac_.Mac(Message(raw, fingerprint));
  std::copy(mac.begin(), mac.begin() + kMacBytes, raw.data() + 9);
  std::string out;
  out.reserve(kTokenChars);
  uint32_t acc = 0;
  int bits = 0;
  for (uint8_t byte : raw) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(acc >> bits) & 63]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(acc << (6 - bits)) & 63]);
  return out;
}

std::optional<NumberKey> PageTokenCodec::Decode(std::string_view token,
                                                std::string_view fingerprint) const {
  if (token.size() != kTokenChars) return std::nullopt;
  Raw raw{};
  size_t n = 0;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : token) {
    const int v = DecodeChar(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (n < raw.size()) raw[n++] = static_cast<uint8_t>(acc >> bits);
    }
  }
  // The unused low bits of the last character must be zero, so each token has one spelling.
  if (n != raw.size() || (acc & ((1u << bits) - 1)) != 0) return std::nullopt;
  if (raw[0] != kVersion) return std::nullopt;
  const Digest256 expected = mac_.Mac(Message(raw, fingerprint));
  if (CRYPTO_memcmp(expected.data(), raw.data() + 9, kMacBytes) != 0) return std::nullopt;
  NumberKey last = 0;
  for (int i = 0; i < 8; ++i) last = (last << 8) | raw[1 + i];
  return last;
}

}  // namespace numberpool::inventory
