// numberpool/http/sigv4_authenticator.h
//
// SigV4Authenticator: the Authenticator of `serve --auth sigv4`. It accepts requests signed
// with a key from the KeyStore, in the Authorization header or as a presigned URL, and
// answers every failure as AWS does (see error_mapping.h), checking cheapest first: missing,
// malformed, date window, unknown key or token, signature, key expiry and status, permission.
// Then the key's rate: one token bucket per key. Before all of it, a source whose failed
// authentications exceed its bucket is answered 429 without any signature being computed.
//
// Thread-safety: Authenticate() may run on any number of threads; derived signing keys are
// cached per thread.

#ifndef NUMBERPOOL_HTTP_SIGV4_AUTHENTICATOR_H_
#define NUMBERPOOL_HTTP_SIGV4_AUTHENTICATOR_H_

#include <cstdint>
#include <string>

#include "http/credentials.h"
#include "http/rate_limiter.h"
#include "http/request_handler.h"

namespace numberpool::http {

// Where the authenticator takes the time from; tests inject a fixed one.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t NowSeconds() const = 0;      // Unix seconds, for signature dates
  virtual int64_t MonotonicNanos() const = 0;  // for rate limits
};

class SystemClock final : public Clock {
 public:
  int64_t NowSeconds() const override;
  int64_t MonotonicNanos() const override;
};

struct SigV4Options {
  std::string region = "us-east-1";
  std::string service = "chime";  // both the chime and chime-sdk-voice clients sign as chime
  int64_t clock_skew_seconds = 15 * 60;
  // Per-key limits where the key sets none (a bucket starts full).
  double rate = 100;
  double burst = 200;
  // Failed authentications per source address; past them a source gets 429 before its
  // signature is computed.
  double failure_rate = 100;
  double failure_burst = 200;
};

class SigV4Authenticator final : public Authenticator {
 public:
  // `keys` and `clock` must outlive the authenticator.
  SigV4Authenticator(const KeyStore& keys, const Clock& clock, SigV4Options options)
      : keys_(keys), clock_(clock), options_(std::move(options)) {}

  std::optional<AuthDenial> Authenticate(const HttpRequest& request,
                                         std::string_view operation) const override;

 private:
  // `now_ns` is the monotonic time the request is authenticated at.
  std::optional<AuthDenial> Check(const HttpRequest& request, std::string_view operation,
                                  int64_t now_ns) const;

  mutable RateLimiter per_key_;
  mutable RateLimiter failures_;
  const KeyStore& keys_;
  const Clock& clock_;
  SigV4Options options_;
};

// Parses YYYYMMDD'T'HHMMSS'Z' to Unix seconds.
std::optional<int64_t> ParseAmzDate(std::string_view text);

}  // namespace numberpool::http

#endif  // NUMBERPOOL_HTTP_SIGV4_AUTHENTICATOR_H_
