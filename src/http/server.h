// numberpool/http/server.h
//
// Server: the HTTP/1.1 front end. One io_context and one SO_REUSEPORT acceptor per thread, so
// that threads share nothing on the hot path; each connection lives on one thread. Requests
// are parsed with Boost.Beast and answered by a RequestHandler; responses carry Date,
// Content-Length and x-amzn-RequestId. Keep-alive and pipelining are supported.
//
// Beast stays inside server.cc: this header is cheap to include.
//
// Thread-safety: Start() and Shutdown() from one controlling thread; Shutdown() is also safe
// to call from a signal-handling thread while workers run.

#ifndef NUMBERPOOL_HTTP_SERVER_H_
#define NUMBERPOOL_HTTP_SERVER_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "common/result.h"
#include "http/request_handler.h"

namespace numberpool::http {

struct ServerOptions {
  std::string host = "127.0.0.1";           // an IPv4 or IPv6 address
  uint16_t port = 8080;                     // 0 picks a free port
  unsigned threads = 0;                     // 0: one per core
  std::chrono::seconds idle_timeout{60};    // keep-alive connection with no request
  std::chrono::seconds header_timeout{10};  // from a request's first byte to its last header
  std::chrono::seconds io_timeout{30};      // reading one request, writing one response
  std::chrono::seconds drain_timeout{10};   // at shutdown, for requests in flight
  // Open connections, over all threads. Past it a new connection is answered 503
  // ServiceUnavailableException (Retry-After: 1) and closed at once, so that load beyond
  // capacity is shed instead of queued. Each connection's memory is bounded by the header and
  // body limits.
  size_t max_connections = 10000;
  size_t max_requests_per_connection = 1000;  // the last one is answered with Connection: close
  size_t max_request_line = 8 * 1024;         // "GET target HTTP/1.1", bytes; longer: 414
  size_t max_header_bytes = 32 * 1024;        // request line and header fields; more: 431
  size_t max_header_fields = 100;             // more: 431
};

class Server final {
 public:
  // `handler` must outlive the server.
  Server(ServerOptions options, const RequestHandler& handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts the worker threads. Returns the port actually bound. kIo naming the
  // address if it cannot listen.
  [[nodiscard]] Result<uint16_t> Start();

  // Stops accepting, closes idle connections, lets requests in flight finish (up to
  // drain_timeout), then joins the workers. Idempotent.
  void Shutdown();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace numberpool::http

#endif  // NUMBERPOOL_HTTP_SERVER_H_
