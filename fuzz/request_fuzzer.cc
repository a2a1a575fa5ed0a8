// Fuzz target: a whole request, as bytes off the wire, through Beast's parser and the request
// handler with SigV4 authentication over a small inventory. No input may crash or throw.

#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "api/search_service.h"
#include "common/file_util.h"
#include "http/request_handler.h"
#include "http/sigv4_authenticator.h"
#include "testing/sample_inventory.h"

namespace {

using namespace numberpool;

class FixedClock final : public http::Clock {
 public:
  int64_t NowSeconds() const override { return 1440938160; }
  int64_t MonotonicNanos() const override { return 0; }
};

struct World {
  std::unique_ptr<inventory::SearchIndex> index;
  std::unique_ptr<inventory::PageTokenCodec> tokens;
  std::unique_ptr<api::SearchService> service;
  std::unique_ptr<http::KeyStore> keys;
  FixedClock clock;
  std::unique_ptr<http::SigV4Authenticator> auth;
  std::unique_ptr<http::RequestHandler> handler;
};

World& TheWorld() {
  static World* w = [] {
    auto* world = new World();
    world->index = std::move(inventory::SearchIndex::Build(testing::SampleInventory())).value();
    world->tokens = std::make_unique<inventory::PageTokenCodec>(inventory::TokenKey{});
    world->service = std::make_unique<api::SearchService>(*world->index, *world->tokens);
    const std::string dir = std::filesystem::temp_directory_path() / "numberpool-request-fuzzer";
    (void)EnsureDirectory(dir);
    (void)WriteFileAtomically(dir + "/credentials",
                              "[k]\naws_access_key_id = AKIDEXAMPLE\n"
                              "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\n",
                              0600);
    world->keys = std::make_unique<http::KeyStore>(dir + "/credentials");
    (void)world->keys->Load();
    world->auth = std::make_unique<http::SigV4Authenticator>(*world->keys, world->clock,
                                                             http::SigV4Options{});
    world->handler = std::make_unique<http::RequestHandler>(*world->service, *world->auth);
    return world;
  }();
  return *w;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace bhttp = boost::beast::http;
  World& w = TheWorld();
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(32 * 1024);
  parser.body_limit(64 * 1024);
  parser.eager(true);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (ec || !parser.is_done()) return 0;
  const auto& req = parser.get();
  std::vector<http::sigv4::HeaderField> fields;
  for (const auto& f : req) {
    fields.push_back({std::string_view(f.name_string().data(), f.name_string().size()),
                      std::string_view(f.value().data(), f.value().size())});
  }
  const http::HttpRequest request{
      std::string_view(req.method_string().data(), req.method_string().size()),
      std::string_view(req.target().data(), req.target().size()), fields, req.body(), "192.0.2.1"};
  http::HttpResponse response;
  w.handler->Handle(request, response);
  if (response.status < 200 || response.status > 599) std::abort();
  return 0;
}
