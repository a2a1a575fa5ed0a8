// numberpool/http/sigv4.h
//
// AWS Signature Version 4, the server's side: parsing the Authorization header and the
// presigned-URL query parameters, building the canonical request from a request exactly as it
// was received (the rules for services other than S3: normalized, double-encoded path; query
// sorted by encoded name, then value; lower-cased, trimmed header names and values, duplicates
// joined with commas), the string to sign, the derived signing key and the signature.
//
// What a valid signature means for a request (clock window, keys, expiry, throttling) is
// decided by the caller; this file is the arithmetic, tested against AWS's published suites.
//
// Thread-safety: stateless functions; results are values.

#ifndef NUMBERPOOL_HTTP_SIGV4_H_
#define NUMBERPOOL_HTTP_SIGV4_H_

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/hmac_sha256.h"
#include "common/result.h"

namespace numberpool::http::sigv4 {

struct HeaderField {
  std::string_view name;
  std::string_view value;
};

// A request as received: method, the raw request target (path and query, still
// percent-encoded), every header field in order, and the body.
struct RequestView {
  std::string_view method;
  std::string_view target;
  std::span<const HeaderField> headers;
  std::string_view body;
};

// The signature's parameters, from either form. They view the text they were parsed from (the
// Authorization header, or the query with the decoded values kept in `decoded`), so they are
// valid while that request is, and parsing them allocates nothing for the header form.
struct Credential {
  std::string_view access_key;
  std::string_view date;  // YYYYMMDD, from the credential scope
  std::string_view region;
  std::string_view service;
  std::string_view terminal;  // must be "aws4_request"

  std::string Scope() const;  // "date/region/service/aws4_request"
  void AppendScope(std::string& out) const;
};

struct AuthParams {
  bool presigned = false;
  Credential credential;
  std::string_view signed_headers;  // as listed: lower-case names separated by ';'
  std::string_view signature;       // 64 lower-case hex digits
  std::string_view amz_date;        // YYYYMMDD'T'HHMMSS'Z'
  int64_t expires = 0;              // presigned only, seconds
  std::optional<std::string_view> security_token;  // presigned only: X-Amz-Security-Token
  std::shared_ptr<const std::string> decoded;      // presigned only: what the views above decode
};

// At most this many names in SignedHeaders.
inline constexpr size_t kMaxSignedHeaders = 128;

// Parses `Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`.
// amz_date is left empty (it comes from the X-Amz-Date header). kBadRequest naming what is
// malformed or missing.
[[nodiscard]] Result<AuthParams> ParseAuthorizationHeader(std::string_view value);

// Parses the X-Amz-* parameters of a presigned URL's raw query. nullopt if the query has no
// X-Amz-Signature and no X-Amz-Algorithm (it is not presigned); kBadRequest naming what is
// malformed or missing otherwise.
[[nodiscard]] std::optional<Result<AuthParams>> ParsePresignedQuery(std::string_view raw_query);

// The canonical URI of a raw path: with `normalize`, dot segments removed and repeated slashes
// collapsed; then each byte other than unreserved characters and '/' percent-encoded (so that
// an escape in the path is encoded again, as non-S3 services require).
std::string CanonicalUri(std::string_view raw_path, bool normalize);
void AppendCanonicalUri(std::string& out, std::string_view raw_path, bool normalize);

// The canonical query: each parameter decoded and re-encoded ('+' is a literal plus sign, so
// %2B), sorted by name then value; a piece with a malformed escape stays as sent. For a
// presigned request X-Amz-Signature is left out.
std::string CanonicalQuery(std::string_view raw_query, bool presigned);
void AppendCanonicalQuery(std::string& out, std::string_view raw_query, bool presigned);

// The whole canonical request for `params`. kBadRequest if a signed header is absent. The
// Append form adds it to `out` (partly, on an error), so that a caller can reuse one buffer.
[[nodiscard]] Result<std::string> CanonicalRequest(const RequestView& request,
                                                   const AuthParams& params, bool normalize);
[[nodiscard]] Status AppendCanonicalRequest(std::string& out, const RequestView& request,
                                            const AuthParams& params, bool normalize);

// "AWS4-HMAC-SHA256\n" amz_date "\n" scope "\n" hex(sha256(canonical_request)).
std::string StringToSign(const AuthParams& params, std::string_view canonical_request);
void AppendStringToSign(std::string& out, const AuthParams& params,
                        std::string_view canonical_request);

using SigningKey = std::array<uint8_t, 32>;

// HMAC chain "AWS4"+secret -> date -> region -> service -> "aws4_request".
SigningKey DeriveSigningKey(std::string_view secret, const Credential& credential);

// hex(HMAC-SHA256(key, string_to_sign)).
std::string Sign(const SigningKey& key, std::string_view string_to_sign);

// A signing key with its HMAC pads already absorbed, for checking many signatures made with
// it. Safe to use from several threads at once.
class Verifier final {
 public:
  explicit Verifier(const SigningKey& key);

  // Whether `hex_signature` (64 lower-case hex digits) is the signature of `string_to_sign`,
  // compared in constant time.
  bool Matches(std::string_view string_to_sign, std::string_view hex_signature) const;

 private:
  HmacSha256 mac_;
};

// Compares two signatures in constant time (for equal lengths).
bool SignaturesEqual(std::string_view a, std::string_view b);

// hex(sha256(data)), lower case.
std::string Sha256Hex(std::string_view data);
void AppendSha256Hex(std::string& out, std::string_view data);

}  // namespace numberpool::http::sigv4

#endif  // NUMBERPOOL_HTTP_SIGV4_H_
