#include "http/request_handler.h"

#include <cstdio>
#include <exception>

namespace numberpool::http {

void HttpResponse::SetError(WireError error, std::string_view message) {
  const ErrorShape shape = ShapeOf(error);
  status = shape.status;
  error_type = shape.type;
  body = ErrorBody(shape.code, message);
}

void RequestHandler::Handle(const HttpRequest& request, HttpResponse& response) const {
  try {
    if (auto denied = auth_.Authenticate(request)) {
      response.SetError(denied->first, denied->second);
      return;
    }
    Route(request, response);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "numberpool: internal error: %s\n", e.what());
    response = HttpResponse();
    response.SetError(WireError::kServiceFailure, "The service encountered an unexpected error");
  }
}

void RequestHandler::Route(const HttpRequest& request, HttpResponse& response) const {
  std::string_view target = request.target;
  // Absolute-form (RFC 9112 3.2.2): drop scheme and authority.
  for (std::string_view scheme : {"http://", "https://"}) {
    if (target.substr(0, scheme.size()) == scheme) {
      const size_t slash = target.find_first_of("/?", scheme.size());
      target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
      if (!target.empty() && target[0] == '?') {
        response.SetError(WireError::kBadRequest, "The request target has no path");
        return;
      }
    }
  }
  if (target.empty() || target[0] != '/') {
    response.SetError(WireError::kBadRequest,
                      "The request target must be a path starting with '/'");
    return;
  }
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
