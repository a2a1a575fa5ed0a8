// numberpool/api/search_service.h
//
// SearchAvailablePhoneNumbers as a pure function of a validated request: one page of numbers
// from the index and the NextToken that resumes after it. Also renders the response JSON, so
// that the HTTP server and the `numberpool search` command answer byte for byte alike.
//
// Thread-safety: SearchService is immutable; Search() may run on any number of threads.

#ifndef NUMBERPOOL_API_SEARCH_SERVICE_H_
#define NUMBERPOOL_API_SEARCH_SERVICE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/search_request.h"
#include "common/result.h"
#include "inventory/page_token.h"
#include "inventory/search_index.h"

namespace numberpool::api {

struct SearchResponse {
  // The numbers, ascending, as runs of JSON array items owned by the index (see SearchPage;
  // inventory::NumbersOf lists them).
  std::vector<std::string_view> runs;
  size_t count = 0;
  std::optional<std::string> next_token;  // set exactly when more numbers match
};

class SearchService final {
 public:
  // Both must outlive the service.
  SearchService(const inventory::SearchIndex& index, const inventory::PageTokenCodec& tokens)
      : index_(index), tokens_(tokens) {}

  // One page. kBadRequest naming next-token if the token is malformed, forged or belongs to a
  // query with other filters.
  [[nodiscard]] Result<SearchResponse> Search(const SearchRequest& request) const;

  // Parses `raw_query`, searches and appends the response JSON to `body`. On error nothing is
  // appended and the error is returned.
  [[nodiscard]] Status SearchQuery(std::string_view raw_query, std::string& body) const;

 private:
  const inventory::SearchIndex& index_;
  const inventory::PageTokenCodec& tokens_;
};

// Appends {"E164PhoneNumbers":[...],"NextToken":...} to `out`.
void AppendSearchResponseJson(std::string& out, const SearchResponse& response);

}  // namespace numberpool::api

#endif  // NUMBERPOOL_API_SEARCH_SERVICE_H_
