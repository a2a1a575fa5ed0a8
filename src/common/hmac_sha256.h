// numberpool/common/hmac_sha256.h
//
// SHA-256 and HMAC-SHA256 over OpenSSL, for the hot paths (page tokens, SigV4). An HmacSha256
// keeps its key's inner and outer pads already absorbed, so a MAC costs two struct copies and
// the message's compressions. OpenSSL's one-shot and EVP calls look the algorithm up or
// allocate a context every time, which measured dearer than the hashing itself.
//
// Thread-safety: Sha256 and HmacSha256::Mac may run on any number of threads at once.

#ifndef NUMBERPOOL_COMMON_HMAC_SHA256_H_
#define NUMBERPOOL_COMMON_HMAC_SHA256_H_

#include <array>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string_view>

namespace numberpool {

using Digest256 = std::array<uint8_t, 32>;

// SHA-256 of the concatenation of `parts`.
Digest256 Sha256(std::initializer_list<std::string_view> parts);

class HmacSha256 final {
 public:
  explicit HmacSha256(std::string_view key);
  ~HmacSha256();
  HmacSha256(const HmacSha256&) = delete;
  HmacSha256& operator=(const HmacSha256&) = delete;

  Digest256 Mac(std::string_view message) const;

 private:
  struct Pads;
  std::unique_ptr<Pads> pads_;
};

// View of a digest's bytes as text, for feeding it to another hash.
inline std::string_view AsBytes(const Digest256& d) {
  return {reinterpret_cast<const char*>(d.data()), d.size()};
}

}  // namespace numberpool

#endif  // NUMBERPOOL_COMMON_HMAC_SHA256_H_
