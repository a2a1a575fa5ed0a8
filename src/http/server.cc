#include "http/server.h"

#include <array>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdio>
#include <ctime>
#include <memory_resource>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_set>
#include <vector>

namespace numberpool::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using reuse_port = net::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

// numberpool's API takes no request body; a request may still carry a small one.
constexpr size_t kBodyLimit = 64 * 1024;

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 505:
      return "HTTP Version Not Supported";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Unknown";
  }
}

// The Date header's value, formatted once a second per thread.
std::string_view HttpDate() {
  thread_local std::time_t cached_second = 0;
  thread_local char buf[64];
  const std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    cached_second = now;
    std::tm tm{};
    gmtime_r(&now, &tm);
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  }
  return buf;
}

// A random (version 4) UUID, as AWS formats request ids.
void AppendRequestId(std::string& out) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  uint64_t hi = rng(), lo = rng();
  hi = (hi & ~0xF000ULL) | 0x4000ULL;            // version 4
  lo = (lo & ~(0xCULL << 60)) | (0x8ULL << 60);  // variant 10
  char id[36];
  int k = 0;
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) id[k++] = '-';
    const uint64_t word = i < 16 ? hi : lo;
    id[k++] = kHex[(word >> (60 - 4 * (i % 16))) & 15];
  }
  out.append(id, sizeof id);
}

// Writes the status line and headers; the body is sent from the response itself.
void SerializeHead(const HttpResponse& r, bool keep_alive, std::string& out) {
  out.clear();
  out.append("HTTP/1.1 ");
  out.append(std::to_string(r.status));
  out.push_back(' ');
  out.append(ReasonPhrase(r.status));
  out.append("\r\nContent-Type: application/json\r\nContent-Length: ");
  out.append(std::to_string(r.body.size()));
  out.append("\r\nDate: ");
  out.append(HttpDate());
  out.append("\r\nx-amzn-RequestId: ");
  AppendRequestId(out);
  if (!r.error_type.empty()) {
    out.append("\r\nx-amzn-ErrorType: ");
    out.append(r.error_type);
  }
  if (!r.allow.empty()) {
    out.append("\r\nAllow: ");
    out.append(r.allow);
  }
  if (r.retry_after > 0) {
    out.append("\r\nRetry-After: ");
    out.append(std::to_string(r.retry_after));
  }
  out.append(keep_alive ? "\r\nConnection: keep-alive\r\n\r\n" : "\r\nConnection: close\r\n\r\n");
}

class Worker;

class Session final : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Worker& worker);
  ~Session();
  void Start();
  // Called on the worker's thread at shutdown: closes the connection unless a request is being
  // answered, in which case it closes after the response.
  void Stop();
  // Closes the connection if its deadline has passed (called by the worker's sweep).
  void CloseIfExpired(std::chrono::steady_clock::time_point now);

 private:
  void DoRead();
  void ReadMore();
  void OnReadSome(beast::error_code ec, size_t bytes);
  // Feeds buffered bytes to the parser; answers when a request is complete or malformed.
  void Parse();
  // True if the header bytes seen so far fold a line (obs-fold, refused: RFC 9112 5.2).
  bool HeaderHasObsFold();
  // True if the buffered request line is well-formed but for a version other than 1.0/1.1
  // (505); the parser reports any malformed request line as a bad version (400).
  bool RequestLineNamesAnotherVersion() const;
  // The length of the request line at the start of the buffer (CRLF not counted), or of all
  // that is buffered if it has no end yet.
  size_t BufferedRequestLine() const;
  void OnRead(beast::error_code ec, size_t);
  void Respond(const HttpResponse& response, bool keep_alive);
  void OnWrite(beast::error_code ec, size_t);
  void Close();

  tcp::socket socket_;
  beast::flat_buffer buffer_;
  // A request's header fields are allocated from an arena in the session, reset for each
  // request: a typical request's fit, so parsing one does not touch the heap.
  using FieldAllocator = std::pmr::polymorphic_allocator<char>;
  std::array<std::byte, 2048> arena_buffer_;
  std::pmr::monotonic_buffer_resource arena_{arena_buffer_.data(), arena_buffer_.size()};
  std::optional<bhttp::request_parser<bhttp::string_body, FieldAllocator>> parser_;
  HttpResponse response_;  // reused, so that its body keeps its capacity
  std::string head_;
  std::vector<sigv4::HeaderField> fields_;  // the request's headers, for the authenticator
  std::string source_;                      // the peer's address
  // When the sweep first saw bytes of a request that has not arrived whole: the header
  // timeout runs from then (slow senders, slowloris).
  std::optional<std::chrono::steady_clock::time_point> partial_since_;
  size_t requests_ = 0;
  size_t header_scanned_ = 0;  // bytes of buffer_ already checked for obs-fold
  size_t consumed_ = 0;        // bytes of this request the parser has taken
  // The idle/read or write deadline. A per-worker sweep enforces it once a second, which
  // keeps timers off the per-request path.
  std::chrono::steady_clock::time_point deadline_;
  Worker& worker_;
  bool answering_ = false;
  bool keep_alive_ = true;
  bool head_only_ = false;
};

class Worker final {
 public:
  Worker(const RequestHandler& handler, const ServerOptions& options, size_t max_sessions)
      : handler_(handler),
        options_(options),
        max_sessions_(max_sessions),
        acceptor_(ioc_),
        retry_(ioc_),
        sweep_(ioc_) {}

  Status Listen(const tcp::endpoint& endpoint) {
    beast::error_code ec;
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.set_option(reuse_port(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) return Error(ErrorKind::kIo, ec.message());
    return Ok{};
  }

  uint16_t port() const { return acceptor_.local_endpoint().port(); }

  void Run() {
    thread_ = std::thread([this] {
      DoAccept();
      Sweep();
      ioc_.run();
    });
  }

  void BeginShutdown() {
    net::post(ioc_, [this] {
      stopping_ = true;
      beast::error_code ec;
      acceptor_.close(ec);
      retry_.cancel();
      sweep_.cancel();
      // Stop() may destroy sessions; iterate over a copy.
      const std::vector<Session*> sessions(sessions_.begin(), sessions_.end());
      for (Session* s : sessions) s->Stop();
    });
  }

  // Ends what is still running after the drain period.
  void ForceStop() { ioc_.stop(); }

  void Join() {
    if (thread_.joinable()) thread_.join();
  }

  bool stopping() const { return stopping_; }
  const RequestHandler& handler() const { return handler_; }
  const ServerOptions& options() const { return options_; }
  void Add(Session* s) { sessions_.insert(s); }
  void Remove(Session* s) { sessions_.erase(s); }
  bool idle() const { return sessions_.empty(); }

 private:
  void Sweep() {
    sweep_.expires_after(std::chrono::seconds(1));
    sweep_.async_wait([this](beast::error_code ec) {
      if (ec || stopping_) return;
      const auto now = std::chrono::steady_clock::now();
      const std::vector<Session*> sessions(sessions_.begin(), sessions_.end());
      for (Session* s : sessions) s->CloseIfExpired(now);
      Sweep();
    });
  }

  // Answers a connection over the limit with a 503 and closes it.
  void Shed(tcp::socket socket) {
    HttpResponse busy;
    busy.SetError(WireError::kServiceUnavailable,
                  "The service is at its connection limit; retry shortly");
    busy.retry_after = 1;
    auto out = std::make_shared<std::string>();
    SerializeHead(busy, false, *out);
    out->append(busy.body);
    auto s = std::make_shared<tcp::socket>(std::move(socket));
    net::async_write(*s, net::buffer(*out), [s, out](beast::error_code, size_t) {
      beast::error_code ec;
      s->shutdown(tcp::socket::shutdown_both, ec);
      s->close(ec);
    });
  }

  void DoAccept() {
    acceptor_.async_accept(ioc_, [this](beast::error_code ec, tcp::socket socket) {
      if (stopping_ || ec == net::error::operation_aborted) return;
      if (ec) {
        // Out of descriptors or similar: back off instead of spinning.
        std::fprintf(stderr, "numberpool: accept failed: %s\n", ec.message().c_str());
        retry_.expires_after(std::chrono::milliseconds(50));
        retry_.async_wait([this](beast::error_code e) {
          if (!e && !stopping_) DoAccept();
        });
        return;
      }
      beast::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      if (sessions_.size() >= max_sessions_) {
        Shed(std::move(socket));
      } else {
        std::make_shared<Session>(std::move(socket), *this)->Start();
      }
      DoAccept();
    });
  }

  const RequestHandler& handler_;
  const ServerOptions& options_;
  const size_t max_sessions_;  // this thread's share of max_connections
  // Declared before the io_context: destroying the io_context destroys pending handlers and
  // with them sessions, which still remove themselves from this set.
  std::unordered_set<Session*> sessions_;
  net::io_context ioc_{1};
  tcp::acceptor acceptor_;
  net::steady_timer retry_;
  net::steady_timer sweep_;
  bool stopping_ = false;
  std::thread thread_;
};

Session::Session(tcp::socket socket, Worker& worker) : socket_(std::move(socket)), worker_(worker) {
  worker_.Add(this);
}

Session::~Session() { worker_.Remove(this); }

void Session::Start() { DoRead(); }

void Session::Stop() {
  keep_alive_ = false;
  if (!answering_) Close();
}

void Session::CloseIfExpired(std::chrono::steady_clock::time_point now) {
  if (!answering_ && buffer_.size() > 0) {
    if (!partial_since_) {
      partial_since_ = now;
    } else if (now - *partial_since_ >= worker_.options().header_timeout) {
      HttpResponse timeout;
      timeout.SetError(WireError::kRequestTimeout, "The request did not arrive in time");
      head_only_ = false;
      Respond(timeout, false);
      return;
    }
  }
  if (now >= deadline_) Close();
}

void Session::Close() {
  beast::error_code ec;
  socket_.shutdown(tcp::socket::shutdown_both, ec);
  socket_.close(ec);
}

void Session::DoRead() {
  parser_.reset();
  arena_.release();
  parser_.emplace(std::piecewise_construct, std::make_tuple(),
                  std::make_tuple(FieldAllocator(&arena_)));
  parser_->header_limit(static_cast<uint32_t>(worker_.options().max_header_bytes));
  parser_->body_limit(kBodyLimit);
  parser_->eager(true);
  header_scanned_ = 0;
  consumed_ = 0;
  // A connection's idle time and the time to read the request share one deadline: the
  // request must have arrived completely within idle_timeout of the previous response.
  deadline_ = std::chrono::steady_clock::now() + worker_.options().idle_timeout;
  if (buffer_.size() > 0) {
    Parse();  // a pipelined request is already here
  } else {
    ReadMore();
  }
}

// The connection is read here rather than by http::async_read so that the raw header bytes
// can be checked before the parser folds them.
void Session::ReadMore() {
  constexpr size_t kChunk = 16 * 1024;
  if (buffer_.size() >= worker_.options().max_header_bytes + kBodyLimit) {
    return OnRead(bhttp::error::header_limit, 0);
  }
  socket_.async_read_some(buffer_.prepare(kChunk),
                          beast::bind_front_handler(&Session::OnReadSome, shared_from_this()));
}

void Session::OnReadSome(beast::error_code ec, size_t bytes) {
  if (answering_) return;  // a 408 went out first; the connection is closing
  if (ec == net::error::eof) {
    // The peer is done sending: between requests that ends the connection; inside one the
    // request is incomplete.
    return OnRead(buffer_.size() == 0 && !parser_->got_some() ? bhttp::error::end_of_stream
                                                              : bhttp::error::partial_message,
                  0);
  }
  if (ec) return OnRead(ec, 0);
  buffer_.commit(bytes);
  Parse();
}

bool Session::HeaderHasObsFold() {
  const auto data = buffer_.data();
  const std::string_view bytes(static_cast<const char*>(data.data()), data.size());
  const size_t header_end = bytes.find("\r\n\r\n");
  const size_t end = header_end == std::string_view::npos ? bytes.size() : header_end + 2;
  for (size_t i = header_scanned_; i < end; ++i) {
    if (bytes[i] != '\n') continue;
    if (i + 1 >= bytes.size()) {
      header_scanned_ = i;  // the next byte decides; look again when it has arrived
      return false;
    }
    if (bytes[i + 1] == ' ' || bytes[i + 1] == '\t') return true;
  }
  header_scanned_ = end;
  return false;
}

size_t Session::BufferedRequestLine() const {
  const auto data = buffer_.data();
  const std::string_view bytes(static_cast<const char*>(data.data()), data.size());
  const size_t lf = bytes.find('\n');
  if (lf == std::string_view::npos) return bytes.size();
  return lf > 0 && bytes[lf - 1] == '\r' ? lf - 1 : lf;
}

bool Session::RequestLineNamesAnotherVersion() const {
  const auto data = buffer_.data();
  const std::string_view bytes(static_cast<const char*>(data.data()), data.size());
  const std::string_view line = bytes.substr(0, bytes.find("\r\n"));
  const size_t first = line.find(' '), last = line.rfind(' ');
  if (first == std::string_view::npos || first == last || line.find(' ', first + 1) != last) {
    return false;
  }
  const std::string_view v = line.substr(last + 1);
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  return v.size() == 8 && v.substr(0, 5) == "HTTP/" && digit(v[5]) && v[6] == '.' && digit(v[7]);
}

void Session::Parse() {
  // Until the parser has taken the request line, the buffer begins with it: a line already too
  // long is refused without waiting for the rest of the header.
  if (consumed_ == 0 && BufferedRequestLine() > worker_.options().max_request_line) {
    HttpResponse too_long;
    too_long.SetError(WireError::kUriTooLong, "The request line is too long");
    head_only_ = false;
    return Respond(too_long, false);
  }
  if (!parser_->is_header_done() && HeaderHasObsFold()) {
    HttpResponse folded;
    folded.SetError(WireError::kBadRequest, "Malformed HTTP request: obs-fold is not accepted");
    head_only_ = false;
    return Respond(folded, false);
  }
  for (;;) {
    beast::error_code ec;
    const size_t used = parser_->put(buffer_.data(), ec);
    buffer_.consume(used);
    consumed_ += used;
    header_scanned_ -= std::min(header_scanned_, used);
    if (ec == bhttp::error::need_more) return ReadMore();
    if (ec) return OnRead(ec, 0);
    if (parser_->is_done()) return OnRead({}, 0);
    if (used == 0) return ReadMore();
  }
}

void Session::OnRead(beast::error_code ec, size_t) {
  if (answering_) return;  // a 408 went out first; the connection is closing
  partial_since_.reset();
  if (ec) {
    if (ec == bhttp::error::end_of_stream || ec == net::error::operation_aborted ||
        ec == net::error::bad_descriptor || ec == net::error::connection_reset ||
        worker_.stopping()) {
      Close();
      return;
    }
    HttpResponse error;
    head_only_ = false;
    if (ec == bhttp::error::header_limit) {
      error.SetError(WireError::kHeadersTooLarge, "The request's headers are too large");
    } else if (ec == bhttp::error::bad_version && RequestLineNamesAnotherVersion()) {
      error.SetError(WireError::kVersionNotSupported, "Only HTTP/1.0 and HTTP/1.1 are served");
    } else if (ec == bhttp::error::body_limit) {
      error.SetError(WireError::kPayloadTooLarge, "The request's body is too large");
    } else {
      error.SetError(WireError::kBadRequest, "Malformed HTTP request: " + ec.message());
    }
    Respond(error, false);
    return;
  }
  const auto& req = parser_->get();
  const ServerOptions& options = worker_.options();
  {
    HttpResponse refused;
    head_only_ = false;
    size_t hosts = 0;
    for (const auto& field : req) hosts += beast::iequals(field.name_string(), "host");
    if (req.version() != 10 && req.version() != 11) {
      refused.SetError(WireError::kVersionNotSupported, "Only HTTP/1.0 and HTTP/1.1 are served");
    } else if (req.method_string().size() + req.target().size() + 10 >
               options.max_request_line) {  // the request line: two spaces and HTTP/1.x
      refused.SetError(WireError::kUriTooLong, "The request line is too long");
    } else if (static_cast<size_t>(std::distance(req.begin(), req.end())) >
               options.max_header_fields) {
      refused.SetError(WireError::kHeadersTooLarge, "The request has too many header fields");
    } else if (req.version() == 11 && hosts != 1) {
      refused.SetError(WireError::kBadRequest, "An HTTP/1.1 request needs exactly one Host header");
    }
    if (refused.status != 200) {
      Respond(refused, false);
      return;
    }
  }
  fields_.clear();
  for (const auto& field : req) {
    fields_.push_back({std::string_view(field.name_string().data(), field.name_string().size()),
                       std::string_view(field.value().data(), field.value().size())});
  }
  const HttpRequest request{
      std::string_view(req.method_string().data(), req.method_string().size()),
      std::string_view(req.target().data(), req.target().size()), fields_, req.body(), source_};
  response_.status = 200;
  response_.body.clear();
  response_.error_type = {};
  response_.allow = {};
  response_.retry_after = 0;
  worker_.handler().Handle(request, response_);
  head_only_ = req.method() == bhttp::verb::head;
  Respond(response_, req.keep_alive() && !worker_.stopping() &&
                         ++requests_ < options.max_requests_per_connection);
}

void Session::Respond(const HttpResponse& response, bool keep_alive) {
  keep_alive_ = keep_alive;
  answering_ = true;
  SerializeHead(response, keep_alive_, head_);
  if (&response != &response_) response_ = response;  // the body must outlive the write
  deadline_ = std::chrono::steady_clock::now() + worker_.options().io_timeout;
  // A response to HEAD has the headers of the GET response (Content-Length too), no body.
  const std::array<net::const_buffer, 2> buffers = {
      net::buffer(head_), head_only_ ? net::const_buffer() : net::buffer(response_.body)};
  net::async_write(socket_, buffers,
                   beast::bind_front_handler(&Session::OnWrite, shared_from_this()));
}

void Session::OnWrite(beast::error_code ec, size_t) {
  answering_ = false;
  if (ec || !keep_alive_ || worker_.stopping()) {
    Close();
    return;
  }
  DoRead();
}

}  // namespace

class Server::Impl {
 public:
  Impl(ServerOptions options, const RequestHandler& handler)
      : options_(std::move(options)), handler_(handler) {}

  Result<uint16_t> Start() {
    beast::error_code ec;
    const auto address = net::ip::make_address(options_.host, ec);
    if (ec) return Error(ErrorKind::kBadRequest, "'" + options_.host + "' is not an IP address");
    unsigned threads = options_.threads ? options_.threads : std::thread::hardware_concurrency();
    if (threads == 0) threads = 1;
    uint16_t port = options_.port;
    for (unsigned i = 0; i < threads; ++i) {
      // Connections are spread over the threads by the kernel (SO_REUSEPORT), so each thread
      // takes an equal share of the limit.
      auto worker = std::make_unique<Worker>(
          handler_, options_,
          std::max<size_t>(1, (options_.max_connections + threads - 1) / threads));
      // The first acceptor may pick the port; the others join it through SO_REUSEPORT.
      if (Status s = worker->Listen(tcp::endpoint(address, port)); !s.ok()) {
        return Error(ErrorKind::kIo, "cannot listen on " + options_.host + ":" +
                                         std::to_string(port) + ": " + s.error().message());
      }
      port = worker->port();
      workers_.push_back(std::move(worker));
    }
    for (auto& w : workers_) w->Run();
    return port;
  }

  void Shutdown() {
    std::lock_guard<std::mutex> lock(mu_);
    if (shut_down_) return;
    shut_down_ = true;
    for (auto& w : workers_) w->BeginShutdown();
    // Workers return from run() once their last connection is gone; those still busy after
    // the drain period are stopped.
    std::atomic<bool> joined{false};
    std::thread watchdog([&] {
      const auto deadline = std::chrono::steady_clock::now() + options_.drain_timeout;
      while (!joined.load() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      if (!joined.load()) {
        for (auto& w : workers_) w->ForceStop();
      }
    });
    for (auto& w : workers_) w->Join();
    joined = true;
    watchdog.join();
  }

 private:
  ServerOptions options_;
  const RequestHandler& handler_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::mutex mu_;
  bool shut_down_ = false;
};

Server::Server(ServerOptions options, const RequestHandler& handler)
    : impl_(std::make_unique<Impl>(std::move(options), handler)) {}

Server::~Server() { Shutdown(); }

Result<uint16_t> Server::Start() { return impl_->Start(); }

void Server::Shutdown() { impl_->Shutdown(); }

}  // namespace numberpool::http
