#include "http/sigv4.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <cstdlib>
#include <initializer_list>
#include <memory>
#include <vector>

#include "common/hmac_sha256.h"
#include "common/json_writer.h"
#include "common/uri.h"

namespace numberpool::http::sigv4 {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

SigningKey Hmac(std::string_view key, std::string_view data) { return HmacSha256(key).Mac(data); }

std::string_view KeyText(const SigningKey& key) {
  return {reinterpret_cast<const char*>(key.data()), key.size()};
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
  return Credential{parts[0], parts[1], parts[2], parts[3], parts[4]};
}

// Calls fn(name) for each name of a SignedHeaders list, in order.
template <typename Fn>
void ForEachName(std::string_view list, Fn fn) {
  for (size_t start = 0;;) {
    const size_t semi = list.find(';', start);
    fn(list.substr(start, semi == std::string_view::npos ? semi : semi - start));
    if (semi == std::string_view::npos) return;
    start = semi + 1;
  }
}

Status CheckSignedHeaders(std::string_view text, bool needs_date) {
  size_t n = 0;
  bool host = false, date = false, lower = true;
  ForEachName(text, [&](std::string_view name) {
    ++n;
    lower &= !name.empty() && std::none_of(name.begin(), name.end(),
                                           [](char c) { return c >= 'A' && c <= 'Z'; });
    host |= name == "host";
    date |= name == "x-amz-date";
  });
  if (n > kMaxSignedHeaders) {
    return Incomplete("SignedHeaders must list at most " + std::to_string(kMaxSignedHeaders) +
                      " names");
  }
  if (!lower) return Incomplete("SignedHeaders must be lower-case names separated by ';'");
  if (!host) return Incomplete("SignedHeaders must include host");
  if (needs_date && !date) return Incomplete("SignedHeaders must include x-amz-date");
  return Ok{};
}

// Header values compare trimmed, with runs of spaces and tabs made one space.
void AppendTrimmed(std::string& out, std::string_view v) {
  const auto blank = [](char c) { return c == ' ' || c == '\t'; };
  // Most values have nothing to trim: one copy.
  bool plain = v.empty() || (!blank(v.front()) && !blank(v.back()));
  for (size_t i = 0; plain && i < v.size(); ++i) {
    plain = v[i] != '\t' && !(v[i] == ' ' && v[i + 1] == ' ');  // the last is not blank
  }
  if (plain) {
    out.append(v);
    return;
  }
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

void AppendHex(std::string& out, const Digest256& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  char hex[2 * std::tuple_size_v<Digest256>];
  for (size_t i = 0; i < bytes.size(); ++i) {
    hex[2 * i] = kHex[bytes[i] >> 4];
    hex[2 * i + 1] = kHex[bytes[i] & 15];
  }
  out.append(hex, sizeof hex);
}

// True if decoding and re-encoding `s` gives `s` back: unreserved bytes, and %XX escapes in
// upper case of bytes that are not unreserved. What AWS clients send is in this form, so
// the canonical query is then built without copying.
bool IsCanonicalEncoding(std::string_view s) {
  const auto upper_hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'); };
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (IsUnreserved(c)) continue;
    if (c != '%' || i + 2 >= s.size() || !upper_hex(s[i + 1]) || !upper_hex(s[i + 2])) {
      return false;
    }
    const int v = HexDigitValue(s[i + 1]) << 4 | HexDigitValue(s[i + 2]);
    if (IsUnreserved(static_cast<unsigned char>(v))) return false;
    i += 2;
  }
  return true;
}

// A piece of the query as it signs: the text itself when already canonical, else decoded and
// re-encoded onto the end of `arena` (or as sent, if it cannot be decoded: what botocore does
// with every piece; the API then rejects the parameter). `arena` is given capacity for three
// bytes per byte of the whole query (`query_size`) at its first use, so that it never moves
// and the views into it stay valid.
std::string_view CanonicalPiece(std::string_view raw, size_t query_size, std::string& arena,
                                std::string& scratch) {
  if (IsCanonicalEncoding(raw)) return raw;
  if (arena.capacity() < 3 * query_size) arena.reserve(3 * query_size);
  scratch.clear();
  if (!AppendPercentDecoded(scratch, raw)) return raw;
  const size_t start = arena.size();
  AppendPercentEncoded(arena, scratch);
  return std::string_view(arena).substr(start);
}

// The path as it signs without copying: it starts with '/', has only unreserved bytes and
// '/', and no empty, "." or ".." segment.
bool IsCanonicalPath(std::string_view path) {
  if (path.empty() || path[0] != '/') return false;
  for (size_t i = 0; i < path.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(path[i]);
    if (c == '/') {
      if (i + 1 < path.size() && path[i + 1] == '/') return false;
      continue;
    }
    if (!IsUnreserved(c)) return false;
    if (c == '.' && path[i - 1] == '/' &&
        (i + 1 == path.size() || path[i + 1] == '/' ||
         (path[i + 1] == '.' && (i + 2 == path.size() || path[i + 2] == '/')))) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string Credential::Scope() const {
  std::string out;
  AppendScope(out);
  return out;
}

void Credential::AppendScope(std::string& out) const {
  for (std::string_view part : {date, region, service}) {
    out.append(part);
    out.push_back('/');
  }
  out.append(terminal);
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
  params.credential = *credential;
  if (Status s = CheckSignedHeaders(*fields[1], /*needs_date=*/true); !s.ok()) return s.error();
  params.signed_headers = *fields[1];
  params.signature = *fields[2];
  if (!IsLowerHex64(params.signature)) {
    return Incomplete("Signature must be 64 lower-case hex digits");
  }
  return params;
}

std::optional<Result<AuthParams>> ParsePresignedQuery(std::string_view raw_query) {
  enum Slot { kAlg, kCred, kDate, kExpires, kHeaders, kSig, kToken, kSlots };
  static constexpr std::array<std::string_view, kSlots> kNames = {
      "X-Amz-Algorithm",     "X-Amz-Credential", "X-Amz-Date",          "X-Amz-Expires",
      "X-Amz-SignedHeaders", "X-Amz-Signature",  "X-Amz-Security-Token"};
  // The values as sent; decoded later, into one buffer the parameters then view.
  std::array<std::optional<std::string_view>, kSlots> raw;
  std::string name;  // a decoded name, when it has escapes
  bool duplicate = false;
  QueryPiece piece;
  for (QuerySplitter pieces(raw_query); pieces.Next(piece);) {
    std::string_view decoded_name = piece.name;
    if (decoded_name.find('%') != std::string_view::npos) {
      name.clear();
      if (!AppendPercentDecoded(name, decoded_name)) continue;
      decoded_name = name;
    }
    const size_t slot = static_cast<size_t>(
        std::find(kNames.begin(), kNames.end(), decoded_name) - kNames.begin());
    if (slot == kSlots) continue;
    duplicate |= raw[slot].has_value();
    raw[slot] = piece.value;
  }
  if (!raw[kSig] && !raw[kAlg]) return std::nullopt;
  if (duplicate) return Result<AuthParams>(Incomplete("A presign parameter is given twice"));
  auto decoded = std::make_shared<std::string>();
  decoded->reserve(raw_query.size());  // decoding never lengthens: views stay valid
  std::array<std::string_view, kSlots> x;
  for (size_t i = 0; i < kSlots; ++i) {
    if (!raw[i]) {
      if (i == kToken) continue;
      return Result<AuthParams>(
          Incomplete("Presigned URL is missing " + std::string(kNames[i])));
    }
    const size_t at = decoded->size();
    if (!AppendPercentDecoded(*decoded, *raw[i])) {
      return Result<AuthParams>(
          Incomplete(std::string(kNames[i]) + " has invalid percent-encoding"));
    }
    x[i] = std::string_view(*decoded).substr(at);
  }
  if (x[kAlg] != kAlgorithm) {
    return Result<AuthParams>(Incomplete("X-Amz-Algorithm must be AWS4-HMAC-SHA256"));
  }
  AuthParams params;
  params.presigned = true;
  auto credential = ParseCredential(x[kCred]);
  if (!credential.ok()) return Result<AuthParams>(credential.error());
  params.credential = *credential;
  if (Status s = CheckSignedHeaders(x[kHeaders], /*needs_date=*/false); !s.ok()) {
    return Result<AuthParams>(s.error());
  }
  params.signed_headers = x[kHeaders];
  params.amz_date = x[kDate];
  if (!IsAmzDate(params.amz_date)) {
    return Result<AuthParams>(Incomplete("X-Amz-Date must be YYYYMMDDTHHMMSSZ"));
  }
  const std::string_view expires = x[kExpires];
  int64_t seconds = 0;
  if (IsDigits(expires) && expires.size() <= 6) {
    for (char c : expires) seconds = seconds * 10 + (c - '0');
  }
  if (!IsDigits(expires) || expires.size() > 6 || seconds > 604800) {
    return Result<AuthParams>(
        Incomplete("X-Amz-Expires must be a number of seconds from 0 to 604800 (7 days)"));
  }
  params.expires = seconds;
  params.signature = x[kSig];
  if (!IsLowerHex64(params.signature)) {
    return Result<AuthParams>(Incomplete("X-Amz-Signature must be 64 lower-case hex digits"));
  }
  if (raw[kToken]) params.security_token = x[kToken];
  params.decoded = std::move(decoded);
  return Result<AuthParams>(std::move(params));
}

std::string CanonicalUri(std::string_view raw_path, bool normalize) {
  std::string out;
  AppendCanonicalUri(out, raw_path, normalize);
  return out;
}

void AppendCanonicalUri(std::string& out, std::string_view raw_path, bool normalize) {
  if (raw_path.empty()) {
    out.push_back('/');
    return;
  }
  if (!normalize || IsCanonicalPath(raw_path)) {
    AppendPercentEncoded(out, raw_path, /*keep_slash=*/true);
    return;
  }
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
  out.push_back('/');
  for (size_t i = 0; i < segments.size(); ++i) {
    if (i) out.push_back('/');
    AppendPercentEncoded(out, segments[i], /*keep_slash=*/true);
  }
  if (!segments.empty() && raw_path.back() == '/') out.push_back('/');
}

std::string CanonicalQuery(std::string_view raw_query, bool presigned) {
  std::string out;
  AppendCanonicalQuery(out, raw_query, presigned);
  return out;
}

void AppendCanonicalQuery(std::string& out, std::string_view raw_query, bool presigned) {
  using Pair = std::pair<std::string_view, std::string_view>;
  size_t count = raw_query.empty() ? 0 : 1;
  for (char c : raw_query) count += c == '&';
  // Requests have a handful of parameters: those sort on the stack.
  constexpr size_t kInline = 12;
  std::array<Pair, kInline> inline_pairs;
  std::vector<Pair> heap_pairs(count > kInline ? count : 0);
  Pair* const pairs = count > kInline ? heap_pairs.data() : inline_pairs.data();
  size_t n = 0;
  std::string arena, scratch;  // only for pieces that are not already canonical
  QueryPiece piece;
  for (QuerySplitter pieces(raw_query); pieces.Next(piece);) {
    if (piece.text.empty()) continue;
    const std::string_view name = CanonicalPiece(piece.name, raw_query.size(), arena, scratch);
    if (presigned && name == "X-Amz-Signature") continue;
    pairs[n++] = {name, CanonicalPiece(piece.value, raw_query.size(), arena, scratch)};
  }
  std::sort(pairs, pairs + n);
  for (size_t i = 0; i < n; ++i) {
    if (i) out.push_back('&');
    out.append(pairs[i].first);
    out.push_back('=');
    out.append(pairs[i].second);
  }
}

Result<std::string> CanonicalRequest(const RequestView& request, const AuthParams& params,
                                     bool normalize) {
  std::string out;
  if (Status s = AppendCanonicalRequest(out, request, params, normalize); !s.ok()) {
    return s.error();
  }
  return out;
}

Status AppendCanonicalRequest(std::string& out, const RequestView& request,
                              const AuthParams& params, bool normalize) {
  const size_t q = request.target.find('?');
  const std::string_view path = request.target.substr(0, q);
  const std::string_view query =
      q == std::string_view::npos ? std::string_view() : request.target.substr(q + 1);
  out.append(request.method);
  out.push_back('\n');
  AppendCanonicalUri(out, path, normalize);
  out.push_back('\n');
  AppendCanonicalQuery(out, query, params.presigned);
  out.push_back('\n');
  // The canonical headers go in name order. Clients list SignedHeaders sorted already (the
  // specification asks them to), so a sorted list is walked as it is.
  std::string_view missing;
  const auto append_header = [&](std::string_view name) {
    out.append(name);
    out.push_back(':');
    bool found = false;
    for (const HeaderField& h : request.headers) {
      if (!EqualsLower(h.name, name)) continue;
      if (found) out.push_back(',');
      AppendTrimmed(out, h.value);
      found = true;
    }
    if (!found && missing.empty()) missing = name;
    out.push_back('\n');
  };
  std::string_view previous;
  bool sorted = true;
  ForEachName(params.signed_headers, [&](std::string_view name) {
    sorted &= previous <= name;
    previous = name;
  });
  if (sorted) {
    ForEachName(params.signed_headers, append_header);
  } else {
    std::vector<std::string_view> names;
    ForEachName(params.signed_headers, [&](std::string_view name) { names.push_back(name); });
    std::sort(names.begin(), names.end());
    for (std::string_view name : names) append_header(name);
  }
  if (!missing.empty()) {
    return Incomplete("Signed header " + std::string(missing) + " is not in the request");
  }
  out.push_back('\n');
  out.append(params.signed_headers);
  out.push_back('\n');
  AppendSha256Hex(out, request.body);
  return Ok{};
}

std::string StringToSign(const AuthParams& params, std::string_view canonical_request) {
  std::string out;
  AppendStringToSign(out, params, canonical_request);
  return out;
}

void AppendStringToSign(std::string& out, const AuthParams& params,
                        std::string_view canonical_request) {
  out.append(kAlgorithm);
  out.push_back('\n');
  out.append(params.amz_date);
  out.push_back('\n');
  params.credential.AppendScope(out);
  out.push_back('\n');
  AppendSha256Hex(out, canonical_request);
}

SigningKey DeriveSigningKey(std::string_view secret, const Credential& c) {
  std::string k = "AWS4";
  k.append(secret);
  SigningKey key = Hmac(k, c.date);
  key = Hmac(KeyText(key), c.region);
  key = Hmac(KeyText(key), c.service);
  return Hmac(KeyText(key), "aws4_request");
}

std::string Sign(const SigningKey& key, std::string_view string_to_sign) {
  const SigningKey mac = Hmac(KeyText(key), string_to_sign);
  std::string out;
  AppendHex(out, mac);
  return out;
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
  std::string out;
  AppendSha256Hex(out, data);
  return out;
}

void AppendSha256Hex(std::string& out, std::string_view data) {
  if (data.empty()) {
    out.append("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    return;
  }
  const Digest256 digest = Sha256({data});
  AppendHex(out, digest);
}

}  // namespace numberpool::http::sigv4
