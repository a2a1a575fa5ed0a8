// OpenSSL's low-level SHA-256 calls are deprecated in 3.0 in favour of EVP, but an EVP context
// copy allocates a provider context: copying one and hashing 200 bytes measured 284 ns here
// against 195 ns for a SHA256_CTX, whose copy is a struct copy. Both run the same SHA-NI or
// AVX2 block code.
#define OPENSSL_SUPPRESS_DEPRECATED

#include "common/hmac_sha256.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <algorithm>

namespace numberpool {
namespace {

constexpr size_t kBlock = 64;

}  // namespace

Digest256 Sha256(std::initializer_list<std::string_view> parts) {
  SHA256_CTX ctx;
  SHA256_Init(&ctx);
  for (std::string_view p : parts) SHA256_Update(&ctx, p.data(), p.size());
  Digest256 out;
  SHA256_Final(out.data(), &ctx);
  return out;
}

struct HmacSha256::Pads {
  SHA256_CTX inner;
  SHA256_CTX outer;
};

HmacSha256::HmacSha256(std::string_view key) : pads_(std::make_unique<Pads>()) {
  unsigned char k[kBlock] = {};
  if (key.size() > kBlock) {
    const Digest256 hashed = Sha256({key});
    std::copy(hashed.begin(), hashed.end(), k);
  } else {
    std::copy(key.begin(), key.end(), k);
  }
  unsigned char ipad[kBlock], opad[kBlock];
  for (size_t i = 0; i < kBlock; ++i) {
    ipad[i] = k[i] ^ 0x36;
    opad[i] = k[i] ^ 0x5c;
  }
  SHA256_Init(&pads_->inner);
  SHA256_Update(&pads_->inner, ipad, kBlock);
  SHA256_Init(&pads_->outer);
  SHA256_Update(&pads_->outer, opad, kBlock);
  OPENSSL_cleanse(k, kBlock);
  OPENSSL_cleanse(ipad, kBlock);
  OPENSSL_cleanse(opad, kBlock);
}

HmacSha256::~HmacSha256() {
  if (pads_) OPENSSL_cleanse(pads_.get(), sizeof(Pads));
}

Digest256 HmacSha256::Mac(std::string_view message) const {
  Digest256 inner, out;
  SHA256_CTX ctx = pads_->inner;
  SHA256_Update(&ctx, message.data(), message.size());
  SHA256_Final(inner.data(), &ctx);
  ctx = pads_->outer;
  SHA256_Update(&ctx, inner.data(), inner.size());
  SHA256_Final(out.data(), &ctx);  // what is left in ctx is the MAC itself
  return out;
}

}  // namespace numberpool
