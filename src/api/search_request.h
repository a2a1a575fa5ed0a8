// numberpool/api/search_request.h
//
// The request side of SearchAvailablePhoneNumbers: parses the query string of
// `GET /search?type=phone-numbers&...` and enforces every rule the API documents, so that the
// search itself sees only a valid, normalized request.
//
// Thread-safety: stateless functions.

#ifndef NUMBERPOOL_API_SEARCH_REQUEST_H_
#define NUMBERPOOL_API_SEARCH_REQUEST_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"
#include "inventory/search_index.h"

namespace numberpool::api {

inline constexpr size_t kDefaultMaxResults = 100;
inline constexpr size_t kMaxMaxResults = 500;
inline constexpr size_t kMaxCityBytes = 128;

// A validated search: the filter (country, effective number type, normalized state and city),
// the page size and the token of the page to resume after (empty for the first page).
struct SearchRequest {
  inventory::SearchFilter filter;
  size_t max_results = kDefaultMaxResults;
  std::string next_token;
};

// Parses `raw_query` (the part of the request target after '?', still percent-encoded).
// Percent-escapes must be well-formed; '+' is a literal plus sign, as in SigV4's canonical
// query. Parameters named X-Amz-* are left to authentication and ignored here. Every rule
// violation is a kBadRequest Error whose message names the parameter.
[[nodiscard]] Result<SearchRequest> ParseSearchQuery(std::string_view raw_query);

}  // namespace numberpool::api

#endif  // NUMBERPOOL_API_SEARCH_REQUEST_H_
