// numberpool/http/request_handler.h
//
// RequestHandler: what numberpool answers to one parsed HTTP request, without sockets. The
// Beast server (server.h) parses and frames; this routes, authenticates and calls the API, so
// that the whole behaviour is testable and benchmarkable in-process.
//
// Thread-safety: Handle() is const and may run on any number of threads at once.

#ifndef NUMBERPOOL_HTTP_REQUEST_HANDLER_H_
#define NUMBERPOOL_HTTP_REQUEST_HANDLER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "api/search_service.h"
#include "http/error_mapping.h"
#include "http/sigv4.h"

namespace numberpool::http {

struct HttpRequest {
  std::string_view method;  // "GET"
  std::string_view target;  // origin-form "/search?..." or absolute-form "http://h/search?..."
  std::span<const sigv4::HeaderField> headers = {};  // as received, in order
  std::string_view body = {};
  std::string_view source = {};  // the peer's IP address
};

struct HttpResponse {
  int status = 200;
  std::string body;             // JSON
  std::string_view error_type;  // x-amzn-ErrorType, empty on success
  std::string_view allow;       // Allow header, empty when not sent
  int64_t retry_after = 0;      // Retry-After seconds, 0 when not sent

  void SetError(WireError error, std::string_view message);
};

// Why a request is not served.
struct AuthDenial {
  WireError error;
  std::string message;
  int64_t retry_after = 0;  // seconds, for throttling; 0 for none
};

// Decides whether a request may be served, before it is answered: `operation` is the API
// operation the request routes to, or empty when it routes nowhere (it is then authenticated
// all the same, and answered 404 only if it passes).
class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // nullopt to serve the request, or the error to answer with instead.
  virtual std::optional<AuthDenial> Authenticate(const HttpRequest& request,
                                                 std::string_view operation) const = 0;
};

// `serve --auth none`: every request is served.
class AllowAllAuthenticator final : public Authenticator {
 public:
  std::optional<AuthDenial> Authenticate(const HttpRequest&, std::string_view) const override {
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
  // Answers an authenticated request whose target is in origin-form.
  void Route(const HttpRequest& request, HttpResponse& response) const;

  const api::SearchService& search_;
  const Authenticator& auth_;
};

}  // namespace numberpool::http

#endif  // NUMBERPOOL_HTTP_REQUEST_HANDLER_H_
