// numberpool/inventory/page_token.h
//
// PageTokenCodec: the NextToken of SearchAvailablePhoneNumbers. A token is the last number of
// a page, HMAC-SHA256-signed together with the query's filter fingerprint, base64url-encoded.
// It is stateless (any replica with the same key accepts it), survives restarts (the key is
// kept in the data dir), and cannot be forged or moved to another query.
//
// Thread-safety: immutable after construction; Encode and Decode may run concurrently.

#ifndef NUMBERPOOL_INVENTORY_PAGE_TOKEN_H_
#define NUMBERPOOL_INVENTORY_PAGE_TOKEN_H_

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/hmac_sha256.h"
#include "inventory/inventory.h"

namespace numberpool::inventory {

using TokenKey = std::array<uint8_t, 32>;

class PageTokenCodec final {
 public:
  explicit PageTokenCodec(const TokenKey& key)
      : mac_(std::string_view(reinterpret_cast<const char*>(key.data()), key.size())) {}

  // A token that resumes the query with `fingerprint` after number `last`.
  std::string Encode(std::string_view fingerprint, NumberKey last) const;

  // The number a token resumes after, or nullopt if `token` is malformed, was not made with
  // this key, or was made for another fingerprint.
  std::optional<NumberKey> Decode(std::string_view token, std::string_view fingerprint) const;

 private:
  HmacSha256 mac_;
};

}  // namespace numberpool::inventory

#endif  // NUMBERPOOL_INVENTORY_PAGE_TOKEN_H_
