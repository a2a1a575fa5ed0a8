// numberpool/http/request_handler.h
//
// RequestHandler: what numberpool answers to one parsed HTTP request, without sockets. The
// Beast server (server.h) parses and frames; this routes, authenticates and calls the API, so
// that the whole behaviour is testable and benchmarkable in-process.
//
// Thread-safety: Handle() is const and may run on any number of threads at once.

#ifndef NUMBERPOOL_HTTP_REQUEST_HANDLER_H_
#define NUMBERPOOL_HTTP_REQUEST_HANDLER_H_

#include <optional>
#include <string>
#include <string_view>

#include "api/search_service.h"
#include "http/error_mapping.h"

namespace numberpool::http {

struct HttpRequest {
  std::string_view method;  // "GET"
  std::string_view target;  // origin-form "/search?..." or absolute-form "http://h/search?..."
};

struct HttpResponse {
  int status = 200;
  std::string body;             // JSON
  std::string_view error_type;  // x-amzn-ErrorType, empty on success
  std::string_view allow;       // Allow header, empty when not sent

  void SetError(WireError error, std::string_view message);
};

// Decides whether a request may be served, before it is routed. Issue #3 adds SigV4; until
// then the server runs with AllowAllAuthenticator.
class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // nullopt to serve the request, or the error to answer with instead.
  virtual std::optional<std::pair<WireError, std::string>> Authenticate(
      const HttpRequest& request) const = 0;
};

class AllowAllAuthenticator final : public Authenticator {
 public:
  std::optional<std::pair<WireError, std::string>> Authenticate(const HttpRequest&) const override {
    return std::nullopt;
  }
};

class RequestHandler final {
 public:
  // Both must outlive the handler.
  RequestHandler(const api::SearchService& search, const Authenticator& auth)
      : search_(search), auth_(auth) {}

  // Fills `response` (which must be default-initialized or reset) for `request`. Never throws:
  // an internal failure becomes a 500 ServiceFailureException.
  void Handle(const HttpRequest& request, HttpResponse& response) const;

 private:
  void Route(const HttpRequest& request, HttpResponse& response) const;

  const api::SearchService& search_;
  const Authenticator& auth_;
};

}  // namespace numberpool::http

#endif  // NUMBERPOOL_HTTP_REQUEST_HANDLER_H_
