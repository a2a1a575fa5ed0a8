#include "api/search_service.h"

#include "common/json_writer.h"

namespace numberpool::api {

Result<SearchResponse> SearchService::Search(const SearchRequest& request) const {
  const std::string fingerprint = request.filter.Fingerprint();
  inventory::NumberKey after = 0;
  if (!request.next_token.empty()) {
    const auto last = tokens_.Decode(request.next_token, fingerprint);
    if (!last) {
      return BadRequest(
          "Invalid next-token: it is malformed, was not issued by this service, or belongs to "
          "a search with other filters");
    }
    after = *last;
  }
  inventory::SearchPage page = index_.Search(request.filter, after, request.max_results);
  SearchResponse response;
  response.runs = std::move(page.runs);
  response.count = page.count;
  if (page.more) response.next_token = tokens_.Encode(fingerprint, page.last);
  return response;
}

Status SearchService::SearchQuery(std::string_view raw_query, std::string& body) const {
  Result<SearchRequest> request = ParseSearchQuery(raw_query);
  if (!request.ok()) return request.error();
  Result<SearchResponse> response = Search(*request);
  if (!response.ok()) return response.error();
  AppendSearchResponseJson(body, *response);
  return Ok{};
}

void AppendSearchResponseJson(std::string& out, const SearchResponse& response) {
  size_t size = 64;
  for (std::string_view run : response.runs) size += run.size();
  out.reserve(out.size() + size);
  out.append("{\"E164PhoneNumbers\":[");
  for (std::string_view run : response.runs) out.append(run);
  if (!response.runs.empty()) out.pop_back();  // each item ends in a comma; the last must not
  out.append("],\"NextToken\":");
  if (response.next_token) {
    AppendJsonString(out, *response.next_token);
  } else {
    out.append("null");
  }
  out.push_back('}');
}

}  // namespace numberpool::api
