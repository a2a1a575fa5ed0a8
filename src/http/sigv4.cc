#include "http/sigv4.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <map>

#include "common/json_writer.h"
#include "common/uri.h"

namespace numberpool::http::sigv4 {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

std::string Hex(const unsigned char* p, size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(2 * n, '\0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kHex[p[i] >> 4];
    out[2 * i + 1] = kHex[p[i] & 15];
  }
  return out;
}

SigningKey Hmac(const void* key, size_t key_size, std::string_view data) {
  SigningKey out{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), key, static_cast<int>(key_size),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(), &len);
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsLowerHex64(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// YYYYMMDD'T'HHMMSS'Z'
bool IsAmzDate(std::string_view s) {
  return s.size() == 16 && IsDigits(s.substr(0, 8)) && s[8] == 'T' && IsDigits(s.substr(9, 6)) &&
         s[15] == 'Z';
}

Error Incomplete(std::string message) { return BadRequest(std::move(message)); }

Result<Credential> ParseCredential(std::string_view text) {
  std::vector<std::string_view> parts;
  for (size_t start = 0;;) {
    const size_t slash = text.find('/', start);
    parts.push_back(text.substr(start, slash == std::string_view::npos ? slash : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  if (parts.size() != 5 || parts[0].empty() || parts[2].empty() || parts[3].empty()) {
    return Incomplete("Credential must be KEY/YYYYMMDD/REGION/SERVICE/aws4_request, not " +
                      Abbreviate(text));
  }
  if (parts[1].size() != 8 || !IsDigits(parts[1])) {
    return Incomplete("Credential has a malformed date: " + Abbreviate(parts[1]));
  }
  if (parts[4] != "aws4_request") {
    return Incomplete("Credential must end in aws4_request, not " + Abbreviate(parts[4]));
  }
  return Credential{std::string(parts[0]), std::string(parts[1]), std::string(parts[2]),
                    std::string(parts[3]), std::string(parts[4])};
}

Result<std::vector<std::string>> ParseSignedHeaders(std::string_view text) {
  std::vector<std::string> names;
  for (size_t start = 0;;) {
    const size_t semi = text.find(';', start);
    const std::string_view name =
        text.substr(start, semi == std::string_view::npos ? semi : semi - start);
    if (name.empty() || Lower(name) != name) {
      return Incomplete("SignedHeaders must be lower-case names separated by ';'");
    }
    names.emplace_back(name);
    if (semi == std::string_view::npos) break;
    start = semi + 1;
  }
  if (std::find(names.begin(), names.end(), "host") == names.end()) {
    return Incomplete("SignedHeaders must include host");
  }
  return names;
}

// Header values compare trimmed, with runs of spaces and tabs made one space.
std::string TrimAll(std::string_view v) {
  std::string out;
  bool space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

}  // namespace

std::string Credential::Scope() const {
  return date + "/" + region + "/" + service + "/" + terminal;
}

Result<AuthParams> ParseAuthorizationHeader(std::string_view value) {
  if (value.substr(0, kAlgorithm.size()) != kAlgorithm || value.size() == kAlgorithm.size() ||
      value[kAlgorithm.size()] != ' ') {
    return Incomplete("Authorization header requires the AWS4-HMAC-SHA256 algorithm");
  }
  std::map<std::string_view, std::string_view> fields;
  std::string_view rest = value.substr(kAlgorithm.size() + 1);
  while (!rest.empty()) {
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    const size_t comma = rest.find(',');
    std::string_view part = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    const size_t eq = part.find('=');
    if (eq == std::string_view::npos) {
      return Incomplete("Authorization header has a malformed part: " + Abbreviate(part));
    }
    const std::string_view key = part.substr(0, eq);
    if (key != "Credential" && key != "SignedHeaders" && key != "Signature") {
      return Incomplete("Authorization header has an unknown part " + Abbreviate(key));
    }
    if (!fields.emplace(key, part.substr(eq + 1)).second) {
      return Incomplete("Authorization header gives " + std::string(key) + " twice");
    }
  }
  for (std::string_view key : {"Credential", "SignedHeaders", "Signature"}) {
    if (!fields.count(key)) {
      return Incomplete("Authorization header is missing " + std::string(key));
    }
  }
  AuthParams params;
  auto credential = ParseCredential(fields["Credential"]);
  if (!credential.ok()) return credential.error();
  params.credential = std::move(credential).value();
  auto signed_headers = ParseSignedHeaders(fields["SignedHeaders"]);
  if (!signed_headers.ok()) return signed_headers.error();
  params.signed_headers = std::move(signed_headers).value();
  if (std::find(params.signed_headers.begin(), params.signed_headers.end(), "x-amz-date") ==
      params.signed_headers.end()) {
    return Incomplete("SignedHeaders must include x-amz-date");
  }
  params.signature = std::string(fields["Signature"]);
  if (!IsLowerHex64(params.signature)) {
    return Incomplete("Signature must be 64 lower-case hex digits");
  }
  return params;
}

std::optional<Result<AuthParams>> ParsePresignedQuery(std::string_view raw_query) {
  std::map<std::string, std::string> x;  // the X-Amz-* parameters, decoded
  bool duplicate = false;
  for (size_t start = 0; start <= raw_query.size() && !raw_query.empty();) {
    const size_t amp = std::min(raw_query.find('&', start), raw_query.size());
    const std::string_view segment = raw_query.substr(start, amp - start);
    start = amp + 1;
    const size_t eq = segment.find('=');
    const auto name = PercentDecode(segment.substr(0, eq));
    if (!name || name->rfind("X-Amz-", 0) != 0) continue;
    const auto value =
        PercentDecode(eq == std::string_view::npos ? std::string_view() : segment.substr(eq + 1));
    if (!value) return Result<AuthParams>(Incomplete(*name + " has invalid percent-encoding"));
    duplicate |= !x.emplace(*name, *value).second;
  }
  if (!x.count("X-Amz-Signature") && !x.count("X-Amz-Algorithm")) return std::nullopt;
  if (duplicate) return Result<AuthParams>(Incomplete("A presign parameter is given twice"));
  for (const char* key : {"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires",
                          "X-Amz-SignedHeaders", "X-Amz-Signature"}) {
    if (!x.count(key)) {
      return Result<AuthParams>(Incomplete(std::string("Presigned URL is missing ") + key));
    }
  }
  if (x["X-Amz-Algorithm"] != kAlgorithm) {
    return Result<AuthParams>(Incomplete("X-Amz-Algorithm must be AWS4-HMAC-SHA256"));
  }
  AuthParams params;
  params.presigned = true;
  auto credential = ParseCredential(x["X-Amz-Credential"]);
  if (!credential.ok()) return Result<AuthParams>(credential.error());
  params.credential = std::move(credential).value();
  auto signed_headers = ParseSignedHeaders(x["X-Amz-SignedHeaders"]);
  if (!signed_headers.ok()) return Result<AuthParams>(signed_headers.error());
  params.signed_headers = std::move(signed_headers).value();
  params.amz_date = x["X-Amz-Date"];
  if (!IsAmzDate(params.amz_date)) {
    return Result<AuthParams>(Incomplete("X-Amz-Date must be YYYYMMDDTHHMMSSZ"));
  }
  const std::string& expires = x["X-Amz-Expires"];
  if (!IsDigits(expires) || expires.size() > 6 || std::stoll(expires) > 604800) {
    return Result<AuthParams>(
        Incomplete("X-Amz-Expires must be a number of seconds from 0 to 604800 (7 days)"));
  }
  params.expires = std::stoll(expires);
  params.signature = x["X-Amz-Signature"];
  if (!IsLowerHex64(params.signature)) {
    return Result<AuthParams>(Incomplete("X-Amz-Signature must be 64 lower-case hex digits"));
  }
  if (x.count("X-Amz-Security-Token")) params.security_token = x["X-Amz-Security-Token"];
  return Result<AuthParams>(std::move(params));
}

std::string CanonicalUri(std::string_view raw_path, bool normalize) {
  if (raw_path.empty()) return "/";
  if (!normalize) return PercentEncode(raw_path, /*keep_slash=*/true);
  std::vector<std::string_view> segments;
  for (size_t start = 0; start <= raw_path.size();) {
    const size_t slash = std::min(raw_path.find('/', start), raw_path.size());
    const std::string_view seg = raw_path.substr(start, slash - start);
    start = slash + 1;
    if (seg.empty() || seg == ".") continue;
    if (seg == "..") {
      if (!segments.empty()) segments.pop_back();
      continue;
    }
    segments.push_back(seg);
  }
  std::string path = "/";
  for (size_t i = 0; i < segments.size(); ++i) {
    if (i) path.push_back('/');
    path.append(segments[i]);
  }
  if (!segments.empty() && raw_path.back() == '/') path.push_back('/');
  return PercentEncode(path, /*keep_slash=*/true);
}

std::string CanonicalQuery(std::string_view raw_query, bool presigned) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (size_t start = 0; start <= raw_query.size() && !raw_query.empty();) {
    const size_t amp = std::min(raw_query.find('&', start), raw_query.size());
    const std::string_view segment = raw_query.substr(start, amp - start);
    start = amp + 1;
    if (segment.empty()) continue;
    const size_t eq = segment.find('=');
    const std::string_view raw_name = segment.substr(0, eq);
    const std::string_view raw_value =
        eq == std::string_view::npos ? std::string_view() : segment.substr(eq + 1);
    // A piece with a malformed escape cannot be decoded; it is signed as it was sent (what
    // botocore does with every piece), and the API then rejects the parameter.
    const auto name = PercentDecode(raw_name);
    if (presigned && name == "X-Amz-Signature") continue;
    const auto value = PercentDecode(raw_value);
    pairs.emplace_back(name ? PercentEncode(*name) : std::string(raw_name),
                       value ? PercentEncode(*value) : std::string(raw_value));
  }
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  for (const auto& [name, value] : pairs) {
    if (!out.empty()) out.push_back('&');
    out += name;
    out.push_back('=');
    out += value;
  }
  return out;
}

Result<std::string> CanonicalRequest(const RequestView& request, const AuthParams& params,
                                     bool normalize) {
  const size_t q = request.target.find('?');
  const std::string_view path = request.target.substr(0, q);
  const std::string_view query =
      q == std::string_view::npos ? std::string_view() : request.target.substr(q + 1);
  std::string out(request.method);
  out.push_back('\n');
  out += CanonicalUri(path, normalize);
  out.push_back('\n');
  out += CanonicalQuery(query, params.presigned);
  out.push_back('\n');
  std::vector<std::string> names = params.signed_headers;
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    std::string value;
    bool found = false;
    for (const HeaderField& h : request.headers) {
      if (Lower(h.name) != name) continue;
      if (found) value.push_back(',');
      value += TrimAll(h.value);
      found = true;
    }
    if (!found) return Incomplete("Signed header " + name + " is not in the request");
    out += name;
    out.push_back(':');
    out += value;
    out.push_back('\n');
  }
  out.push_back('\n');
  for (size_t i = 0; i < params.signed_headers.size(); ++i) {
    if (i) out.push_back(';');
    out += params.signed_headers[i];
  }
  out.push_back('\n');
  out += Sha256Hex(request.body);
  return out;
}

std::string StringToSign(const AuthParams& params, std::string_view canonical_request) {
  std::string out(kAlgorithm);
  out.push_back('\n');
  out += params.amz_date;
  out.push_back('\n');
  out += params.credential.Scope();
  out.push_back('\n');
  out += Sha256Hex(canonical_request);
  return out;
}

SigningKey DeriveSigningKey(std::string_view secret, const Credential& c) {
  const std::string k = "AWS4" + std::string(secret);
  SigningKey key = Hmac(k.data(), k.size(), c.date);
  key = Hmac(key.data(), key.size(), c.region);
  key = Hmac(key.data(), key.size(), c.service);
  return Hmac(key.data(), key.size(), "aws4_request");
}

std::string Sign(const SigningKey& key, std::string_view string_to_sign) {
  const SigningKey mac = Hmac(key.data(), key.size(), string_to_sign);
  return Hex(mac.data(), mac.size());
}

bool SignaturesEqual(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr);
  return Hex(digest, len);
}

}  // namespace numberpool::http::sigv4
