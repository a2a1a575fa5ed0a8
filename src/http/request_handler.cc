#include "http/request_handler.h"

#include <cstdio>
#include <exception>
#include <optional>

namespace numberpool::http {

void HttpResponse::SetError(WireError error, std::string_view message) {
  const ErrorShape shape = ShapeOf(error);
  status = shape.status;
  error_type = shape.type;
  body = ErrorBody(shape.code, message);
}

namespace {

constexpr std::string_view kSearchOperation = "SearchAvailablePhoneNumbers";

// The origin-form of a request target (absolute-form, RFC 9112 3.2.2, loses its scheme and
// authority), or nullopt if it is neither.
std::optional<std::string_view> OriginForm(std::string_view target) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (target.substr(0, scheme.size()) == scheme) {
      const size_t slash = target.find_first_of("/?", scheme.size());
      if (slash == std::string_view::npos) return std::string_view("/");
      if (target[slash] == '?') return std::nullopt;
      return target.substr(slash);
    }
  }
  if (target.empty() || target[0] != '/') return std::nullopt;
  return target;
}

std::string_view PathOf(std::string_view target) { return target.substr(0, target.find('?')); }

}  // namespace

void RequestHandler::Handle(const HttpRequest& request, HttpResponse& response) const {
  try {
    const std::optional<std::string_view> target = OriginForm(request.target);
    if (!target) {
      response.SetError(WireError::kBadRequest,
                        "The request target must be a path starting with '/'");
      return;
    }
    HttpRequest origin = request;
    origin.target = *target;
    const bool search = PathOf(*target) == "/search" && request.method == "GET";
    if (auto denied = auth_.Authenticate(origin, search ? kSearchOperation : "")) {
      response.SetError(denied->error, denied->message);
      response.retry_after = denied->retry_after;
      return;
    }
    Route(origin, response);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "numberpool: internal error: %s\n", e.what());
    response = HttpResponse();
    response.SetError(WireError::kServiceFailure, "The service encountered an unexpected error");
  }
}

void RequestHandler::Route(const HttpRequest& request, HttpResponse& response) const {
  const std::string_view target = request.target;  // origin-form, checked by Handle
  const size_t q = target.find('?');
  const std::string_view path = target.substr(0, q);
  const std::string_view query = q == std::string_view::npos ? "" : target.substr(q + 1);
  if (path != "/search") {
    response.SetError(WireError::kNotFound, "No operation at this path");
    return;
  }
  if (request.method != "GET") {
    response.allow = "GET";
    response.SetError(WireError::kMethodNotAllowed, "Only GET is allowed on /search");
    return;
  }
  if (Status s = search_.SearchQuery(query, response.body); !s.ok()) {
    const WireError wire = WireErrorFor(s.error());
    if (wire == WireError::kServiceFailure) {
      std::fprintf(stderr, "numberpool: search failed: %s\n", s.error().message().c_str());
      response.SetError(wire, "The service encountered an unexpected error");
    } else {
      response.SetError(wire, s.error().message());
    }
    return;
  }
  response.status = 200;
}

}  // namespace numberpool::http
