#include "common/hmac_sha256.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cstdlib>

namespace numberpool {
namespace {

struct CtxDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using Ctx = std::unique_ptr<EVP_MD_CTX, CtxDeleter>;

const EVP_MD* Md() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

EVP_MD_CTX* ThreadContext() {
  thread_local Ctx ctx(EVP_MD_CTX_new());
  return ctx.get();
}

// OpenSSL without SHA-256, or out of memory: nothing can be signed or verified.
[[noreturn]] void Fail() { std::abort(); }

constexpr size_t kBlock = 64;

}  // namespace

Digest256 Sha256(std::initializer_list<std::string_view> parts) {
  EVP_MD_CTX* ctx = ThreadContext();
  Digest256 out{};
  unsigned int len = 0;
  if (!ctx || !Md() || !EVP_DigestInit_ex(ctx, Md(), nullptr)) Fail();
  for (std::string_view p : parts) {
    if (!EVP_DigestUpdate(ctx, p.data(), p.size())) Fail();
  }
  if (!EVP_DigestFinal_ex(ctx, out.data(), &len)) Fail();
  return out;
}

struct HmacSha256::Pads {
  Ctx inner{EVP_MD_CTX_new()};
  Ctx outer{EVP_MD_CTX_new()};
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
  if (!pads_->inner || !pads_->outer || !Md() ||
      !EVP_DigestInit_ex(pads_->inner.get(), Md(), nullptr) ||
      !EVP_DigestUpdate(pads_->inner.get(), ipad, kBlock) ||
      !EVP_DigestInit_ex(pads_->outer.get(), Md(), nullptr) ||
      !EVP_DigestUpdate(pads_->outer.get(), opad, kBlock)) {
    Fail();
  }
  OPENSSL_cleanse(k, kBlock);
  OPENSSL_cleanse(ipad, kBlock);
  OPENSSL_cleanse(opad, kBlock);
}

HmacSha256::~HmacSha256() = default;

Digest256 HmacSha256::Mac(std::string_view message) const {
  EVP_MD_CTX* ctx = ThreadContext();
  Digest256 inner{}, out{};
  unsigned int len = 0;
  if (!ctx || !EVP_MD_CTX_copy_ex(ctx, pads_->inner.get()) ||
      !EVP_DigestUpdate(ctx, message.data(), message.size()) ||
      !EVP_DigestFinal_ex(ctx, inner.data(), &len) ||
      !EVP_MD_CTX_copy_ex(ctx, pads_->outer.get()) ||
      !EVP_DigestUpdate(ctx, inner.data(), inner.size()) ||
      !EVP_DigestFinal_ex(ctx, out.data(), &len)) {
    Fail();
  }
  return out;
}

}  // namespace numberpool
