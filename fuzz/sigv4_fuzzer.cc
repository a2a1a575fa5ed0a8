// Fuzz target: the Authorization header and presign parsers with canonicalization. The input
// is split into an Authorization value, a request target and header lines.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "http/sigv4.h"

namespace sigv4 = numberpool::http::sigv4;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> lines;
  for (size_t start = 0; start <= input.size();) {
    const size_t nl = std::min(input.find('\n', start), input.size());
    lines.push_back(input.substr(start, nl - start));
    start = nl + 1;
  }
  const std::string_view authorization = lines[0];
  const std::string_view target = lines.size() > 1 ? lines[1] : std::string_view("/");
  std::vector<sigv4::HeaderField> headers;
  for (size_t i = 2; i < lines.size(); ++i) {
    const size_t colon = lines[i].find(':');
    headers.push_back({lines[i].substr(0, colon),
                       colon == std::string_view::npos ? "" : lines[i].substr(colon + 1)});
  }
  const size_t q = target.find('?');
  (void)sigv4::CanonicalUri(target.substr(0, q), true);
  (void)sigv4::CanonicalUri(target.substr(0, q), false);
  const std::string_view query = q == std::string_view::npos ? "" : target.substr(q + 1);
  (void)sigv4::CanonicalQuery(query, false);
  for (auto params : {sigv4::ParseAuthorizationHeader(authorization)}) {
    if (!params.ok()) continue;
    params->amz_date = "20150830T123600Z";
    auto creq = sigv4::CanonicalRequest({"GET", target, headers, ""}, *params, true);
    if (creq.ok()) (void)sigv4::StringToSign(*params, *creq);
  }
  if (auto presigned = sigv4::ParsePresignedQuery(query); presigned && presigned->ok()) {
    (void)sigv4::CanonicalRequest({"GET", target, headers, ""}, **presigned, true);
  }
  return 0;
}
