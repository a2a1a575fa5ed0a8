#include "api/search_service.h"

#include <algorithm>
#include <cstring>

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
  response.numbers = std::move(page.numbers);
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
  static constexpr std::string_view kHead = "{\"E164PhoneNumbers\":[";
  static constexpr std::string_view kTail = "],\"NextToken\":";
  // Sized once and written in place: this is the server's hottest loop.
  size_t size = kHead.size() + kTail.size();
  for (std::string_view n : response.numbers) size += n.size() + 3;
  const size_t start = out.size();
  out.resize(start + size + inventory::kE164Slot);  // slack: numbers are copied a slot at a time
  char* p = out.data() + start;
  p = std::copy(kHead.begin(), kHead.end(), p);
  for (size_t i = 0; i < response.numbers.size(); ++i) {
    if (i) *p++ = ',';
    *p++ = '"';
    std::memcpy(p, response.numbers[i].data(), inventory::kE164Slot);
    p += response.numbers[i].size();
    *p++ = '"';
  }
  p = std::copy(kTail.begin(), kTail.end(), p);
  out.resize(static_cast<size_t>(p - out.data()));
  if (response.next_token) {
    AppendJsonString(out, *response.next_token);
  } else {
    out.append("null");
  }
  out.push_back('}');
}

}  // namespace numberpool::api
