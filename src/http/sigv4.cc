#include "http/sigv4.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <cstdlib>
#include <initializer_list>
#include <map>
#include <memory>

#include "common/hmac_sha256.h"
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

SigningKey Hmac(std::string_view key, std::string_view data) { return HmacSha256(key).Mac(data); }

std::string_view KeyText(const SigningKey& key) {
  return {reinterpret_cast<const char*>(key.data()), key.size()};
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
  std::array<std::string_view, 6> parts;  // a sixth part means too many
  size_t n = 0;
  for (size_t start = 0; n < parts.size();) {
    const size_t slash = text.find('/', start);
    parts[n++] = text.substr(start, slash == std::string_view::npos ? slash : slash - start);
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  if (n != 5 || parts[0].empty() || parts[2].empty() || parts[3].empty()) {
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
void AppendTrimmed(std::string& out, std::string_view v) {
  bool space = false, any = false;
  for (char c : v) {
    if (c == ' ' || c == '\t') {
      space = any;
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    any = true;
    out.push_back(c);
  }
}

// `name` equals `lower` (already lower case) ignoring ASCII case.
bool EqualsLower(std::string_view name, std::string_view lower) {
  if (name.size() != lower.size()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c =
        name[i] >= 'A' && name[i] <= 'Z' ? static_cast<char>(name[i] - 'A' + 'a') : name[i];
    if (c != lower[i]) return false;
  }
  return true;
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
  constexpr std::array<std::string_view, 3> kKeys = {"Credential", "SignedHeaders", "Signature"};
  std::array<std::optional<std::string_view>, 3> fields;
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
    const size_t slot =
        static_cast<size_t>(std::find(kKeys.begin(), kKeys.end(), key) - kKeys.begin());
    if (slot == kKeys.size()) {
      return Incomplete("Authorization header has an unknown part " + Abbreviate(key));
    }
    if (fields[slot]) {
      return Incomplete("Authorization header gives " + std::string(key) + " twice");
    }
    fields[slot] = part.substr(eq + 1);
  }
  for (size_t i = 0; i < kKeys.size(); ++i) {
    if (!fields[i]) return Incomplete("Authorization header is missing " + std::string(kKeys[i]));
  }
  AuthParams params;
  auto credential = ParseCredential(*fields[0]);
  if (!credential.ok()) return credential.error();
  params.credential = std::move(credential).value();
  auto signed_headers = ParseSignedHeaders(*fields[1]);
  if (!signed_headers.ok()) return signed_headers.error();
  params.signed_headers = std::move(signed_headers).value();
  if (std::find(params.signed_headers.begin(), params.signed_headers.end(), "x-amz-date") ==
      params.signed_headers.end()) {
    return Incomplete("SignedHeaders must include x-amz-date");
  }
  params.signature = std::string(*fields[2]);
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

namespace {

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

// True if decoding and re-encoding `s` gives `s` back: unreserved bytes, and %XX escapes in
// upper case of bytes that are not unreserved. What AWS clients send is in this form, so
// the canonical query is then built without copying.
bool IsCanonicalEncoding(std::string_view s) {
  const auto hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'); };
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (IsUnreserved(c)) continue;
    if (c != '%' || i + 2 >= s.size() || !hex(s[i + 1]) || !hex(s[i + 2])) return false;
    const int v = std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16);
    if (IsUnreserved(static_cast<unsigned char>(v))) return false;
    i += 2;
  }
  return true;
}

// A piece of the query as it signs: the text itself when already canonical, else decoded and
// re-encoded into `storage` (or as sent, if it cannot be decoded: what botocore does with
// every piece; the API then rejects the parameter).
std::string_view CanonicalPiece(std::string_view raw, std::string& storage) {
  if (IsCanonicalEncoding(raw)) return raw;
  const auto decoded = PercentDecode(raw);
  if (!decoded) return raw;
  storage = PercentEncode(*decoded);
  return storage;
}

}  // namespace

std::string CanonicalQuery(std::string_view raw_query, bool presigned) {
  size_t count = raw_query.empty() ? 0 : 1;
  for (char c : raw_query) count += c == '&';
  // Storage for re-encoded pieces; reserved so that views into it stay valid.
  std::vector<std::string> storage(2 * count);
  std::vector<std::pair<std::string_view, std::string_view>> pairs;
  pairs.reserve(count);
  size_t slot = 0;
  for (size_t start = 0; start <= raw_query.size() && !raw_query.empty();) {
    const size_t amp = std::min(raw_query.find('&', start), raw_query.size());
    const std::string_view segment = raw_query.substr(start, amp - start);
    start = amp + 1;
    if (segment.empty()) continue;
    const size_t eq = segment.find('=');
    const std::string_view raw_name = segment.substr(0, eq);
    const std::string_view raw_value =
        eq == std::string_view::npos ? std::string_view() : segment.substr(eq + 1);
    const std::string_view name = CanonicalPiece(raw_name, storage[slot++]);
    if (presigned && name == "X-Amz-Signature") continue;
    pairs.emplace_back(name, CanonicalPiece(raw_value, storage[slot++]));
  }
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  out.reserve(raw_query.size() + 16);
  for (const auto& [name, value] : pairs) {
    if (!out.empty()) out.push_back('&');
    out.append(name);
    out.push_back('=');
    out.append(value);
  }
  return out;
}

Result<std::string> CanonicalRequest(const RequestView& request, const AuthParams& params,
                                     bool normalize) {
  const size_t q = request.target.find('?');
  const std::string_view path = request.target.substr(0, q);
  const std::string_view query =
      q == std::string_view::npos ? std::string_view() : request.target.substr(q + 1);
  std::string out;
  out.reserve(256 + request.target.size());
  out.append(request.method);
  out.push_back('\n');
  out += CanonicalUri(path, normalize);
  out.push_back('\n');
  out += CanonicalQuery(query, params.presigned);
  out.push_back('\n');
  std::vector<std::string_view> names(params.signed_headers.begin(), params.signed_headers.end());
  std::sort(names.begin(), names.end());
  for (std::string_view name : names) {
    out.append(name);
    out.push_back(':');
    bool found = false;
    for (const HeaderField& h : request.headers) {
      if (!EqualsLower(h.name, name)) continue;
      if (found) out.push_back(',');
      AppendTrimmed(out, h.value);
      found = true;
    }
    if (!found) return Incomplete("Signed header " + std::string(name) + " is not in the request");
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
  const Credential& c = params.credential;
  std::string out;
  out.reserve(kAlgorithm.size() + params.amz_date.size() + c.date.size() + c.region.size() +
              c.service.size() + c.terminal.size() + 72);
  out.append(kAlgorithm);
  out.push_back('\n');
  out += params.amz_date;
  out.push_back('\n');
  for (const std::string* part : {&c.date, &c.region, &c.service}) {
    out += *part;
    out.push_back('/');
  }
  out += c.terminal;
  out.push_back('\n');
  out += Sha256Hex(canonical_request);
  return out;
}

SigningKey DeriveSigningKey(std::string_view secret, const Credential& c) {
  const std::string k = "AWS4" + std::string(secret);
  SigningKey key = Hmac(k, c.date);
  key = Hmac(KeyText(key), c.region);
  key = Hmac(KeyText(key), c.service);
  return Hmac(KeyText(key), "aws4_request");
}

std::string Sign(const SigningKey& key, std::string_view string_to_sign) {
  const SigningKey mac = Hmac(KeyText(key), string_to_sign);
  return Hex(mac.data(), mac.size());
}

Verifier::Verifier(const SigningKey& key) : mac_(KeyText(key)) {}

bool Verifier::Matches(std::string_view string_to_sign, std::string_view hex_signature) const {
  if (hex_signature.size() != 64) return false;
  unsigned char given[32];
  for (size_t i = 0; i < 32; ++i) {
    const auto nibble = [](char c) {
      return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    };
    const int hi = nibble(hex_signature[2 * i]), lo = nibble(hex_signature[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    given[i] = static_cast<unsigned char>(hi << 4 | lo);
  }
  const Digest256 mac = mac_.Mac(string_to_sign);
  return CRYPTO_memcmp(mac.data(), given, sizeof given) == 0;
}

bool SignaturesEqual(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string Sha256Hex(std::string_view data) {
  if (data.empty()) return "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  const Digest256 digest = Sha256({data});
  return Hex(digest.data(), digest.size());
}

}  // namespace numberpool::http::sigv4
