#include "inventory/page_token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

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

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

// The MAC runs concurrently on every server thread; each has its own scratch context.
EVP_MD_CTX* Scratch() {
  thread_local MdCtx scratch(EVP_MD_CTX_new());
  return scratch.get();
}

}  // namespace

struct PageTokenCodec::Pads {
  MdCtx inner{EVP_MD_CTX_new()};
  MdCtx outer{EVP_MD_CTX_new()};
};

PageTokenCodec::PageTokenCodec(const TokenKey& key) : pads_(std::make_unique<Pads>()) {
  constexpr size_t kBlock = 64;  // SHA-256's block size; the 32-byte key fits in one block
  uint8_t ipad[kBlock], opad[kBlock];
  for (size_t i = 0; i < kBlock; ++i) {
    const uint8_t k = i < key.size() ? key[i] : 0;
    ipad[i] = k ^ 0x36;
    opad[i] = k ^ 0x5c;
  }
  const EVP_MD* sha256 = EVP_sha256();
  if (!pads_->inner || !pads_->outer || !EVP_DigestInit_ex(pads_->inner.get(), sha256, nullptr) ||
      !EVP_DigestUpdate(pads_->inner.get(), ipad, kBlock) ||
      !EVP_DigestInit_ex(pads_->outer.get(), sha256, nullptr) ||
      !EVP_DigestUpdate(pads_->outer.get(), opad, kBlock)) {
    std::abort();  // OpenSSL without SHA-256 or out of memory: nothing to serve with
  }
  OPENSSL_cleanse(ipad, kBlock);
  OPENSSL_cleanse(opad, kBlock);
}

PageTokenCodec::~PageTokenCodec() = default;

void PageTokenCodec::Mac(const std::string& message, uint8_t* out16) const {
  EVP_MD_CTX* ctx = Scratch();
  unsigned char inner[EVP_MAX_MD_SIZE], outer[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!ctx || !EVP_MD_CTX_copy_ex(ctx, pads_->inner.get()) ||
      !EVP_DigestUpdate(ctx, message.data(), message.size()) ||
      !EVP_DigestFinal_ex(ctx, inner, &len) || !EVP_MD_CTX_copy_ex(ctx, pads_->outer.get()) ||
      !EVP_DigestUpdate(ctx, inner, len) || !EVP_DigestFinal_ex(ctx, outer, &len)) {
    std::abort();
  }
  std::copy(outer, outer + kMacBytes, out16);
}

std::string PageTokenCodec::Encode(std::string_view fingerprint, NumberKey last) const {
  Raw raw{};
  raw[0] = kVersion;
  for (int i = 0; i < 8; ++i) raw[1 + i] = static_cast<uint8_t>(last >> (56 - 8 * i));
  Mac(Message(raw, fingerprint), raw.data() + 9);
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
  uint8_t expected[kMacBytes];
  Mac(Message(raw, fingerprint), expected);
  if (CRYPTO_memcmp(expected, raw.data() + 9, kMacBytes) != 0) return std::nullopt;
  NumberKey last = 0;
  for (int i = 0; i < 8; ++i) last = (last << 8) | raw[1 + i];
  return last;
}

}  // namespace numberpool::inventory
