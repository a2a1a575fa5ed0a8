#include "api/search_request.h"

#include <algorithm>
#include <array>
#include <optional>

#include "common/json_writer.h"
#include "common/uri.h"
#include "numbering/numbering_plan.h"
#include "numbering/us_states.h"

namespace numberpool::api {
namespace {

enum Param {
  kType,
  kAreaCode,
  kCity,
  kState,
  kCountry,
  kPhoneNumberType,
  kTollFreePrefix,
  kMaxResults,
  kNextToken,
  kParamCount
};

constexpr std::array<std::string_view, kParamCount> kNames = {
    "type",        "area-code", "city", "state", "country", "phone-number-type", "toll-free-prefix",
    "max-results", "next-token"};

std::optional<Param> ParamFor(std::string_view name) {
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<Param>(i);
  }
  return std::nullopt;
}

std::string Quoted(std::string_view text) { return "'" + Abbreviate(text) + "'"; }

Error Invalid(Param p, std::string_view value, std::string_view rule) {
  return BadRequest("Invalid " + std::string(kNames[p]) + " " + Quoted(value) + ": " +
                    std::string(rule));
}

bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

Result<SearchRequest> ParseSearchQuery(std::string_view raw_query) {
  std::array<std::optional<std::string>, kParamCount> v;
  QueryPiece piece;
  for (QuerySplitter pieces(raw_query); pieces.Next(piece);) {
    if (piece.text.empty()) {
      return BadRequest("The query string has an empty parameter (a stray '&')");
    }
    const std::string_view raw_name = piece.name;
    const std::string_view raw_value = piece.value;
    const auto name = PercentDecode(raw_name);
    if (!name) {
      return BadRequest("Query parameter name " + Quoted(raw_name) +
                        " has invalid percent-encoding");
    }
    if (name->rfind("X-Amz-", 0) == 0) continue;  // presigned authentication's parameters
    const auto param = ParamFor(*name);
    if (!param) return BadRequest("Unknown query parameter " + Quoted(*name));
    const auto value = PercentDecode(raw_value);
    if (!value) {
      return BadRequest("Parameter " + std::string(kNames[*param]) +
                        " has invalid percent-encoding: " + Quoted(raw_value));
    }
    if (v[*param]) {
      return BadRequest("Parameter " + std::string(kNames[*param]) + " is given more than once");
    }
    if (value->empty()) {
      return BadRequest("Parameter " + std::string(kNames[*param]) + " must not be empty");
    }
    v[*param] = std::move(*value);
  }

  if (!v[kType]) return BadRequest("Parameter type is required and must be 'phone-numbers'");
  if (*v[kType] != "phone-numbers") return Invalid(kType, *v[kType], "must be 'phone-numbers'");

  SearchRequest req;
  inventory::SearchFilter& f = req.filter;
  if (v[kCountry]) {
    const std::string& c = *v[kCountry];
    if (c.size() != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z') {
      return Invalid(kCountry, c, "must be an ISO 3166-1 alpha-2 code in upper case ([A-Z]{2})");
    }
    if (!numbering::IsSupportedRegion(c)) {
      return Invalid(kCountry, c, "not a country numberpool knows");
    }
    f.country = c;
  }
  std::optional<numbering::NumberType> type;
  if (v[kPhoneNumberType]) {
    type = numbering::ParseNumberType(*v[kPhoneNumberType]);
    if (!type) return Invalid(kPhoneNumberType, *v[kPhoneNumberType], "must be Local or TollFree");
  }
  if (v[kMaxResults]) {
    const std::string& m = *v[kMaxResults];
    if (!IsDigits(m)) return Invalid(kMaxResults, m, "must be a whole number from 1 to 500");
    size_t n = 0;
    for (char c : m) n = std::min<size_t>(n * 10 + static_cast<size_t>(c - '0'), 1'000'000);
    if (n < 1 || n > kMaxMaxResults) {
      return Invalid(kMaxResults, m, "must be a whole number from 1 to 500");
    }
    req.max_results = n;
  }
  if (v[kTollFreePrefix]) {
    const std::string& t = *v[kTollFreePrefix];
    const auto& prefixes = numbering::UsTollFreePrefixes();
    if (std::find(prefixes.begin(), prefixes.end(), t) == prefixes.end()) {
      return Invalid(kTollFreePrefix, t, "must be one of 800, 833, 844, 855, 866, 877, 888");
    }
    f.toll_free_prefix = t;
  }
  if (v[kAreaCode]) {
    const std::string& a = *v[kAreaCode];
    if (a.size() != 3 || !IsDigits(a) || a[0] < '2') {
      return Invalid(kAreaCode, a, "must be three digits, the first 2-9");
    }
    f.area_code = a;
  }
  if (v[kState]) {
    std::string s = *v[kState];
    for (char& c : s) {
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    if (!numbering::IsUsStateCode(s)) {
      return Invalid(kState, *v[kState], "must be the two-letter code of a US state or DC");
    }
    f.state = s;
  }
  if (v[kCity]) {
    const std::string& c = *v[kCity];
    for (unsigned char ch : c) {
      if (ch < 0x20 || ch == 0x7F) return Invalid(kCity, c, "must not contain control characters");
    }
    if (c.size() > kMaxCityBytes) return Invalid(kCity, c, "must be at most 128 bytes long");
    f.city = inventory::NormalizeCityName(c);
    if (f.city.empty()) return Invalid(kCity, c, "must not be blank");
  }
  if (v[kNextToken]) req.next_token = *v[kNextToken];

  const bool geographic = v[kAreaCode] || v[kCity] || v[kState];
  if (f.country != "US") {
    if (!type) {
      return BadRequest("Parameter phone-number-type is required for countries other than US");
    }
    for (Param p : {kAreaCode, kCity, kState, kTollFreePrefix}) {
      if (v[p])
        return BadRequest("Parameter " + std::string(kNames[p]) + " only applies to the US");
    }
    f.type = *type;
    return req;
  }
  if (!geographic && !v[kTollFreePrefix]) {
    return BadRequest(
        "US searches need at least one of area-code, city, state or toll-free-prefix");
  }
  if (v[kCity] && !v[kState]) return BadRequest("Parameter city requires state");
  if (v[kTollFreePrefix] && geographic) {
    return BadRequest(
        "Parameter toll-free-prefix cannot be combined with area-code, city or state");
  }
  if (v[kTollFreePrefix] && type == numbering::NumberType::kLocal) {
    return BadRequest("Parameter toll-free-prefix cannot be combined with phone-number-type=Local");
  }
  if (type == numbering::NumberType::kTollFree && geographic) {
    return BadRequest(
        "Parameter phone-number-type=TollFree cannot be combined with area-code, city or state");
  }
  f.type = v[kTollFreePrefix] ? numbering::NumberType::kTollFree : numbering::NumberType::kLocal;
  return req;
}

}  // namespace numberpool::api
