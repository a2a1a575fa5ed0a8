#include "http/sigv4_authenticator.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <memory>
#include <vector>

namespace numberpool::http {
namespace {

using Denial = std::optional<AuthDenial>;

Denial Deny(WireError error, std::string message) { return AuthDenial{error, std::move(message)}; }

std::optional<std::string_view> HeaderValue(const HttpRequest& r, std::string_view name) {
  for (const sigv4::HeaderField& h : r.headers) {
    if (h.name.size() == name.size() &&
        std::equal(h.name.begin(), h.name.end(), name.begin(), [](char a, char b) {
          return (a >= 'A' && a <= 'Z' ? a - 'A' + 'a' : a) == b;
        })) {
      std::string_view v = h.value;
      while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
      while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
      return v;
    }
  }
  return std::nullopt;
}

std::string AmzDate(int64_t t) { return FormatUtc(t, "%Y%m%dT%H%M%SZ"); }

// Deriving a signing key costs four HMACs; a key is good for a day, so each thread keeps the
// ones it derived (with their HMAC pads absorbed), keyed by secret and scope.
const sigv4::Verifier& CachedVerifier(std::string_view secret, const sigv4::Credential& c) {
  struct Entry {
    std::string secret, date, region, service;
    std::unique_ptr<sigv4::Verifier> verifier;
  };
  thread_local std::vector<Entry> cache;
  for (const Entry& e : cache) {
    if (e.date == c.date && e.region == c.region && e.service == c.service && e.secret == secret) {
      return *e.verifier;
    }
  }
  if (cache.size() >= 64) cache.erase(cache.begin());
  cache.push_back({std::string(secret), std::string(c.date), std::string(c.region),
                   std::string(c.service),
                   std::make_unique<sigv4::Verifier>(sigv4::DeriveSigningKey(secret, c))});
  return *cache.back().verifier;
}

}  // namespace

int64_t SystemClock::NowSeconds() const { return static_cast<int64_t>(std::time(nullptr)); }

int64_t SystemClock::MonotonicNanos() const {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::optional<int64_t> ParseAmzDate(std::string_view s) {
  if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z') return std::nullopt;
  int v[6];
  const size_t pos[6] = {0, 4, 6, 9, 11, 13}, len[6] = {4, 2, 2, 2, 2, 2};
  for (int i = 0; i < 6; ++i) {
    v[i] = 0;
    for (size_t j = pos[i]; j < pos[i] + len[i]; ++j) {
      if (s[j] < '0' || s[j] > '9') return std::nullopt;
      v[i] = v[i] * 10 + (s[j] - '0');
    }
  }
  if (v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31 || v[3] > 23 || v[4] > 59 || v[5] > 60) {
    return std::nullopt;
  }
  return UnixFromCivil(v[0], v[1], v[2], v[3], v[4], v[5]);
}

Denial SigV4Authenticator::Authenticate(const HttpRequest& request,
                                        std::string_view operation) const {
  const int64_t now_ns = clock_.MonotonicNanos();
  if (!failures_.Has(request.source, options_.failure_rate, options_.failure_burst, now_ns)) {
    const int64_t wait =
        failures_.Take(request.source, options_.failure_rate, options_.failure_burst, now_ns);
    return AuthDenial{WireError::kThrottledClient,
                      "Too many failed authentications from this address",
                      std::max<int64_t>(wait, 1)};
  }
  Denial denied = Check(request, operation, now_ns);
  if (denied && denied->error != WireError::kThrottledClient) {
    (void)failures_.Take(request.source, options_.failure_rate, options_.failure_burst, now_ns);
  }
  return denied;
}

Denial SigV4Authenticator::Check(const HttpRequest& request, std::string_view operation,
                                 int64_t now_ns) const {
  // 1. Missing; 2. malformed.
  const size_t q = request.target.find('?');
  const std::string_view query =
      q == std::string_view::npos ? std::string_view() : request.target.substr(q + 1);
  const std::optional<std::string_view> authorization = HeaderValue(request, "authorization");
  sigv4::AuthParams params;
  if (authorization) {
    auto parsed = sigv4::ParseAuthorizationHeader(*authorization);
    if (!parsed.ok()) return Deny(WireError::kIncompleteSignature, parsed.error().message());
    params = std::move(parsed).value();
    const auto date = HeaderValue(request, "x-amz-date");
    if (!date) {
      return Deny(WireError::kIncompleteSignature,
                  "Authorization header requires an X-Amz-Date header");
    }
    params.amz_date = *date;
  } else if (auto presigned = sigv4::ParsePresignedQuery(query)) {
    if (!presigned->ok()) {
      return Deny(WireError::kIncompleteSignature, presigned->error().message());
    }
    params = std::move(*presigned).value();
  } else {
    return Deny(WireError::kMissingAuthenticationToken, "Missing Authentication Token");
  }
  const std::optional<int64_t> signed_at = ParseAmzDate(params.amz_date);
  if (!signed_at) {
    return Deny(WireError::kIncompleteSignature,
                "X-Amz-Date must be YYYYMMDDTHHMMSSZ, not '" +
                    std::string(params.amz_date.substr(0, 32)) + "'");
  }

  // 3. Date window.
  const int64_t now = clock_.NowSeconds();
  const int64_t skew = options_.clock_skew_seconds;
  if (*signed_at > now + skew) {
    return Deny(WireError::kInvalidSignature, "Signature not yet current: " +
                                                  std::string(params.amz_date) +
                                                  " is still later than " + AmzDate(now + skew) +
                                                  " (" + AmzDate(now) + " + 15 min.)");
  }
  if (!params.presigned && *signed_at < now - skew) {
    return Deny(WireError::kInvalidSignature, "Signature expired: " +
                                                  std::string(params.amz_date) +
                                                  " is now earlier than " + AmzDate(now - skew) +
                                                  " (" + AmzDate(now) + " - 15 min.)");
  }
  if (params.presigned && now > *signed_at + params.expires) {
    return Deny(WireError::kInvalidSignature,
                "Signature expired: " + std::string(params.amz_date) + " is now earlier than " +
                    AmzDate(now - params.expires) + " (" + AmzDate(now) + " - " +
                    std::to_string(params.expires) + " sec.)");
  }

  // 4. Unknown key or token.
  const AccessKey* const key = keys_.Find(params.credential.access_key);
  if (!key) {
    return Deny(WireError::kUnrecognizedClient,
                "The security token included in the request is invalid.");
  }
  std::optional<std::string_view> token = HeaderValue(request, "x-amz-security-token");
  if (!token && params.security_token) token = *params.security_token;
  if (key->session_token.has_value() != token.has_value() ||
      (token && !sigv4::SignaturesEqual(*token, *key->session_token))) {
    return Deny(WireError::kUnrecognizedClient,
                "The security token included in the request is invalid.");
  }

  // 5. Signature, scope and body hash.
  if (params.credential.region != options_.region) {
    return Deny(WireError::kInvalidSignature,
                "Credential should be scoped to a valid region, not '" +
                    std::string(params.credential.region.substr(0, 32)) + "'.");
  }
  if (params.credential.service != options_.service) {
    return Deny(WireError::kInvalidSignature,
                "Credential should be scoped to the correct service: '" + options_.service + "'.");
  }
  if (params.credential.date != params.amz_date.substr(0, 8)) {
    return Deny(WireError::kInvalidSignature,
                "Credential should be scoped to the date of X-Amz-Date (" +
                    std::string(params.amz_date.substr(0, 8)) + ").");
  }
  if (const auto content = HeaderValue(request, "x-amz-content-sha256");
      content && *content != sigv4::Sha256Hex(request.body)) {
    return Deny(WireError::kInvalidSignature,
                "The provided 'x-amz-content-sha256' header does not match what was computed.");
  }
  // Each thread builds its canonical requests in the same two buffers.
  thread_local std::string canonical, to_sign;
  canonical.clear();
  to_sign.clear();
  if (Status built = sigv4::AppendCanonicalRequest(
          canonical, {request.method, request.target, request.headers, request.body}, params,
          true);
      !built.ok()) {
    return Deny(WireError::kIncompleteSignature, built.error().message());
  }
  sigv4::AppendStringToSign(to_sign, params, canonical);
  if (!CachedVerifier(key->secret, params.credential).Matches(to_sign, params.signature)) {
    return Deny(WireError::kInvalidSignature,
                "The request signature we calculated does not match the signature you provided. "
                "Check your AWS Secret Access Key and signing method.");
  }

  // 6. Key expiry and status; 7. permission.
  if (key->expires && now >= *key->expires) {
    return Deny(WireError::kExpiredToken, "The security token included in the request is expired");
  }
  if (key->status == KeyStatus::kDisabled) {
    return Deny(WireError::kUnauthorizedClient, "The access key " + key->id + " is disabled.");
  }
  if (key->status == KeyStatus::kBlocked) {
    return Deny(WireError::kForbidden, "The access key " + key->id + " is blocked.");
  }
  if (!operation.empty() && !key->Allows(operation)) {
    return Deny(
        WireError::kAccessDenied,
        "The access key " + key->id + " is not allowed to perform " + std::string(operation) + ".");
  }

  // 8. Rate.
  if (const int64_t wait =
          per_key_.Take(key->id, key->rate.value_or(options_.rate),
                        key->burst.value_or(options_.burst), now_ns)) {
    return AuthDenial{WireError::kThrottledClient, "Rate exceeded for access key " + key->id, wait};
  }
  return std::nullopt;
}

}  // namespace numberpool::http
