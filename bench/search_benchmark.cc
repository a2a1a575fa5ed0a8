// Micro benchmarks of the in-process search path, on the real default inventory: query
// parsing, the index walk with JSON rendering, and a whole request through the handler (what
// the server does per request, less the socket).
//
//   build/bench/search_benchmark [--benchmark_filter=...]

#include <benchmark/benchmark.h>

#include <cstdio>
#include <ctime>
#include <filesystem>

#include "api/search_service.h"
#include "http/credentials.h"
#include "http/request_handler.h"
#include "http/sigv4.h"
#include "http/sigv4_authenticator.h"
#include "inventory/inventory_generator.h"
#include "inventory/search_index.h"
#include "numbering/numbering_plan.h"

namespace {

using namespace numberpool;

struct World {
  std::unique_ptr<inventory::SearchIndex> index;
  std::unique_ptr<inventory::PageTokenCodec> tokens;
  std::unique_ptr<api::SearchService> service;
  http::AllowAllAuthenticator auth;
  std::unique_ptr<http::RequestHandler> handler;
};

World& TheWorld() {
  static World* world = [] {
    std::fprintf(stderr, "generating the default inventory...\n");
    auto* w = new World();
    inventory::Inventory inv = inventory::GenerateInventory(numbering::EnumerateBlocks(0, {}),
                                                            inventory::GeneratorOptions{});
    w->index = std::move(inventory::SearchIndex::Build(inv)).value();
    inventory::TokenKey key{};
    w->tokens = std::make_unique<inventory::PageTokenCodec>(key);
    w->service = std::make_unique<api::SearchService>(*w->index, *w->tokens);
    w->handler = std::make_unique<http::RequestHandler>(*w->service, w->auth);
    return w;
  }();
  return *world;
}

const char* const kQueries[] = {
    "type=phone-numbers&area-code=206&max-results=5",
    "type=phone-numbers&state=CA&max-results=500",
    "type=phone-numbers&state=WA&city=Seattle&area-code=206&max-results=100",
    "type=phone-numbers&toll-free-prefix=800&max-results=100",
    "type=phone-numbers&country=GB&phone-number-type=Local&max-results=100",
};

void BM_ParseQuery(benchmark::State& state) {
  const char* q = kQueries[state.range(0)];
  state.SetLabel(q);
  for (auto _ : state) {
    auto r = api::ParseSearchQuery(q);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_ParseQuery)->DenseRange(0, 4);

void BM_SearchQuery(benchmark::State& state) {
  World& w = TheWorld();
  const char* q = kQueries[state.range(0)];
  state.SetLabel(q);
  std::string body;
  for (auto _ : state) {
    body.clear();
    if (!w.service->SearchQuery(q, body).ok()) state.SkipWithError("search failed");
    benchmark::DoNotOptimize(body.data());
  }
  state.counters["body_bytes"] = static_cast<double>(body.size());
}
BENCHMARK(BM_SearchQuery)->DenseRange(0, 4);

void BM_SecondPage(benchmark::State& state) {
  World& w = TheWorld();
  std::string first;
  if (!w.service->SearchQuery(kQueries[1], first).ok()) return state.SkipWithError("search failed");
  const size_t at = first.find("\"NextToken\":\"") + 13;
  const std::string q =
      std::string(kQueries[1]) + "&next-token=" + first.substr(at, first.find('"', at) - at);
  std::string body;
  for (auto _ : state) {
    body.clear();
    if (!w.service->SearchQuery(q, body).ok()) state.SkipWithError("search failed");
    benchmark::DoNotOptimize(body.data());
  }
}
BENCHMARK(BM_SecondPage);

void BM_HandleRequest(benchmark::State& state) {
  World& w = TheWorld();
  const std::string target = std::string("/search?") + kQueries[state.range(0)];
  state.SetLabel(target);
  for (auto _ : state) {
    http::HttpResponse r;
    w.handler->Handle({"GET", target}, r);
    benchmark::DoNotOptimize(r.body.data());
  }
}
BENCHMARK(BM_HandleRequest)->DenseRange(0, 1);

// SigV4 verification of a request signed as botocore signs it, over a one-key store.
void BM_VerifySignedRequest(benchmark::State& state) {
  char dir[] = "/tmp/numberpool-bench-XXXXXX";
  if (!mkdtemp(dir)) return state.SkipWithError("mkdtemp failed");
  const std::string path = std::string(dir) + "/credentials";
  http::AccessKey key = http::NewAccessKey("bench");
  key.rate = 1e9;
  key.burst = 1e9;
  if (!http::WriteCredentials(path, {key}).ok()) return state.SkipWithError("write failed");
  http::KeyStore keys(path);
  if (!keys.Load().ok()) return state.SkipWithError("load failed");
  http::SystemClock clock;
  http::SigV4Authenticator auth(keys, clock, http::SigV4Options{});

  const std::string amz_date = [] {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
    return std::string(buf);
  }();
  const std::string target = "/search?type=phone-numbers&area-code=206&max-results=5";
  std::vector<std::pair<std::string, std::string>> headers = {
      {"Host", "127.0.0.1:8080"},
      {"User-Agent", "Boto3/1.43 md/Botocore#1.43"},
      {"X-Amz-Date", amz_date},
      {"Accept-Encoding", "identity"}};
  http::sigv4::AuthParams p;
  p.credential = {key.id, std::string_view(amz_date).substr(0, 8), "us-east-1", "chime",
                  "aws4_request"};
  p.signed_headers = "host;x-amz-date";
  p.amz_date = amz_date;
  std::vector<http::sigv4::HeaderField> fields;
  for (const auto& [n, v] : headers) fields.push_back({n, v});
  const std::string creq = *http::sigv4::CanonicalRequest({"GET", target, fields, ""}, p, true);
  const std::string sig = http::sigv4::Sign(http::sigv4::DeriveSigningKey(key.secret, p.credential),
                                            http::sigv4::StringToSign(p, creq));
  headers.emplace_back("Authorization", "AWS4-HMAC-SHA256 Credential=" + key.id + "/" +
                                            p.credential.Scope() +
                                            ", SignedHeaders=host;x-amz-date, Signature=" + sig);
  fields.clear();
  for (const auto& [n, v] : headers) fields.push_back({n, v});
  const http::HttpRequest request{"GET", target, fields, "", "127.0.0.1"};
  for (auto _ : state) {
    auto denied = auth.Authenticate(request, "SearchAvailablePhoneNumbers");
    if (denied) state.SkipWithError(denied->message.c_str());
    benchmark::DoNotOptimize(denied);
  }
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_VerifySignedRequest);

}  // namespace

BENCHMARK_MAIN();
