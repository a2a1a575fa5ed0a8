#include "app/commands.h"

#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <functional>
#include <map>
#include <thread>

#include "api/search_service.h"
#include "app/flags.h"
#include "common/uri.h"
#include "http/error_mapping.h"
#include "http/request_handler.h"
#include "http/server.h"
#include "http/sigv4_authenticator.h"
#include "inventory/inventory_generator.h"
#include "inventory/search_index.h"
#include "numbering/numbering_plan.h"
#include "store/sqlite_inventory_store.h"
#include "store/token_key_file.h"

namespace numberpool::app {
namespace {

constexpr char kDefaultDataDir[] = "./numberpool-data";
constexpr int kDefaultPerBlock = 4;
constexpr uint64_t kDefaultSeed = 1;

int Fail(const std::string& message) {
  std::fprintf(stderr, "numberpool: %s\n", message.c_str());
  return 1;
}

// Parses flags; prints help or the error. Returns an exit status to stop with, or -1 to go on.
int ParseFlags(FlagSet& flags, int argc, char** argv) {
  if (Status s = flags.Parse(argc, argv, 2); !s.ok()) {
    std::fprintf(stderr, "numberpool: %s\n", s.error().message().c_str());
    return 1;
  }
  if (flags.help_requested()) {
    std::fputs(flags.Help().c_str(), stdout);
    return 0;
  }
  return -1;
}

std::string DataDir(const FlagSet& flags) {
  return flags.Get("data-dir").value_or(kDefaultDataDir);
}

std::string NowRfc3339() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Generates the default inventory into `store`, reporting progress on stderr, and prints the
// summary to `summary` (stdout for `seed`, stderr for `serve`).
Status Seed(store::InventoryStore& store, int per_block, uint64_t seed, std::FILE* summary) {
  const auto start = std::chrono::steady_clock::now();
  std::fprintf(stderr, "numberpool: generating the default inventory (seed %llu, %d per block)\n",
               static_cast<unsigned long long>(seed), per_block);
  auto blocks = numbering::EnumerateBlocks(0, [](std::string_view stage, double fraction) {
    std::fprintf(stderr, "numberpool:   %.*s: %3.0f%%\n", static_cast<int>(stage.size()),
                 stage.data(), fraction * 100);
  });
  inventory::Inventory inv = inventory::GenerateInventory(std::move(blocks), {per_block, seed});
  std::fprintf(stderr, "numberpool:   writing %zu numbers in %zu blocks\n", inv.numbers.size(),
               inv.blocks.size());
  const auto write_start = std::chrono::steady_clock::now();
  if (Status s = store.Replace(inv, {seed, per_block, NowRfc3339()}); !s.ok()) return s;
  std::fprintf(
      stderr, "numberpool:   written in %.1f s\n",
      std::chrono::duration<double>(std::chrono::steady_clock::now() - write_start).count());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::map<std::string, std::pair<size_t, size_t>> counts;  // country -> (Local, TollFree)
  for (const auto& n : inv.numbers) {
    const auto& b = inv.blocks[n.block];
    auto& c = counts[b.region];
    (b.type == numbering::NumberType::kLocal ? c.first : c.second) += 1;
  }
  std::fprintf(summary, "%-8s %10s %10s\n", "country", "Local", "TollFree");
  for (const auto& [country, c] : counts) {
    std::fprintf(summary, "%-8s %10zu %10zu\n", country.c_str(), c.first, c.second);
  }
  std::fprintf(summary, "total: %zu numbers in %zu blocks, %zu countries, in %.1f s\n",
               inv.numbers.size(), inv.blocks.size(), counts.size(), seconds);
  return Ok{};
}

// Everything a search needs, loaded from a data dir.
struct Loaded {
  std::unique_ptr<inventory::SearchIndex> index;
  std::unique_ptr<inventory::PageTokenCodec> tokens;
  std::unique_ptr<api::SearchService> service;
};

Result<Loaded> Load(const store::InventoryStore& store, const std::string& data_dir) {
  Result<inventory::Inventory> inv = store.Load();
  if (!inv.ok()) return inv.error();
  Result<std::unique_ptr<inventory::SearchIndex>> index = inventory::SearchIndex::Build(*inv);
  if (!index.ok()) return index.error();
  Result<inventory::TokenKey> key = store::LoadOrCreateTokenKey(data_dir);
  if (!key.ok()) return key.error();
  Loaded loaded;
  loaded.index = std::move(index).value();
  loaded.tokens = std::make_unique<inventory::PageTokenCodec>(*key);
  loaded.service = std::make_unique<api::SearchService>(*loaded.index, *loaded.tokens);
  return loaded;
}

// Splits "HOST:PORT" or "[V6]:PORT".
Result<std::pair<std::string, uint16_t>> ParseListen(const std::string& text) {
  const auto bad = [&] {
    return BadRequest("--listen must be HOST:PORT (an IP address and a port 0-65535), not '" +
                      text + "'");
  };
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return bad();
  std::string host = text.substr(0, colon);
  if (host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const Result<long long> port = ParseIntFlag("listen", text.substr(colon + 1), 0, 65535);
  if (!port.ok()) return bad();
  return std::pair<std::string, uint16_t>{host, static_cast<uint16_t>(*port)};
}

}  // namespace

int ServeCommand(int argc, char** argv) {
  FlagSet flags("numberpool serve [options]",
                "Runs the HTTP service. If the data dir holds no inventory yet, the default one\n"
                "is generated first.");
  flags.Add("data-dir", kDefaultDataDir, "directory holding the inventory and the token key");
  flags.Add("listen", "127.0.0.1:8080", "address and port to listen on; port 0 picks a free one");
  flags.Add("threads", "the number of cores", "worker threads, 1-256");
  flags.Add("auth", "sigv4",
            "sigv4: serve only requests signed (AWS Signature V4) with a key in\n"
            "      DATA_DIR/credentials, created on first start; none: serve every request\n"
            "      (local experiments only)");
  flags.Add("region", "us-east-1", "the region signed requests must be scoped to");
  flags.Add("rate", "100", "requests per second of a key that sets no rate");
  flags.Add("burst", "200", "bucket size of a key that sets no burst");
  flags.Add("auth-failure-rate", "100",
            "failed authentications per second a source address may make before it gets 429");
  flags.Add("auth-failure-burst", "200", "bucket size of failed authentications per source");
  flags.Add("header-timeout", "10",
            "seconds from a request's first byte to its last header; "
            "past them: 408 and close");
  flags.Add("max-connections", "10000 (less if the open-file limit is lower)",
            "open connections; past it new ones get 503 ServiceUnavailableException");
  flags.Add("idle-timeout", "60", "seconds a keep-alive connection may wait for its next request");
  flags.Add("max-requests-per-connection", "1000",
            "requests on one connection; the last is answered with Connection: close");
  flags.Add("max-request-line", "8192", "bytes of the request line; longer: 414 and close");
  flags.Add("max-header-bytes", "32768",
            "bytes of the request line and header fields; more: 431 and close");
  flags.Add("max-header-fields", "100", "header fields of a request; more: 431 and close");
  if (int rc = ParseFlags(flags, argc, argv); rc >= 0) return rc;

  // Every option is checked before anything slow (seeding) starts.
  http::ServerOptions options;
  // Descriptors: raise the soft limit to the hard one, and keep connections within it.
  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) == 0) {
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
    getrlimit(RLIMIT_NOFILE, &files);
    if (files.rlim_cur != RLIM_INFINITY && files.rlim_cur > 128) {
      options.max_connections = std::min<size_t>(options.max_connections, files.rlim_cur - 64);
    }
  }
  const auto seconds = [](std::chrono::seconds& out) {
    return [&out](long long v) { out = std::chrono::seconds(v); };
  };
  const auto count = [](size_t& out) {
    return [&out](long long v) { out = static_cast<size_t>(v); };
  };
  const struct {
    const char* name;
    long long min, max;
    std::function<void(long long)> set;
  } limits[] = {
      {"header-timeout", 1, 3600, seconds(options.header_timeout)},
      {"idle-timeout", 1, 86400, seconds(options.idle_timeout)},
      {"max-connections", 1, 1'000'000, count(options.max_connections)},
      {"max-requests-per-connection", 1, 1'000'000'000, count(options.max_requests_per_connection)},
      {"max-request-line", 64, 1 << 20, count(options.max_request_line)},
      {"max-header-bytes", 256, 1 << 20, count(options.max_header_bytes)},
      {"max-header-fields", 1, 10'000, count(options.max_header_fields)},
  };
  for (const auto& limit : limits) {
    if (const auto& v = flags.Get(limit.name)) {
      auto n = ParseIntFlag(limit.name, *v, limit.min, limit.max);
      if (!n.ok()) return Fail(n.error().message());
      limit.set(*n);
    }
  }
  if (options.max_request_line > options.max_header_bytes) {
    return Fail("--max-request-line (" + std::to_string(options.max_request_line) +
                ") must not exceed --max-header-bytes (" +
                std::to_string(options.max_header_bytes) + "), which counts the request line");
  }

  const std::string data_dir = DataDir(flags);
  auto listen = ParseListen(flags.Get("listen").value_or("127.0.0.1:8080"));
  if (!listen.ok()) return Fail(listen.error().message());
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  if (const auto& t = flags.Get("threads")) {
    auto n = ParseIntFlag("threads", *t, 1, 256);
    if (!n.ok()) return Fail(n.error().message());
    threads = static_cast<unsigned>(*n);
  }

  const std::string auth_mode = flags.Get("auth").value_or("sigv4");
  if (auth_mode != "sigv4" && auth_mode != "none") {
    return Fail("--auth must be sigv4 or none, not '" + auth_mode + "'");
  }
  http::SigV4Options sigv4_options;
  sigv4_options.region = flags.Get("region").value_or("us-east-1");
  if (sigv4_options.region.empty() ||
      sigv4_options.region.find_first_of("/ \t") != std::string::npos) {
    return Fail("--region must be a region name such as us-east-1");
  }

  for (const auto& [flag, target] : {std::pair<const char*, double*>{"rate", &sigv4_options.rate},
                                     {"burst", &sigv4_options.burst},
                                     {"auth-failure-rate", &sigv4_options.failure_rate},
                                     {"auth-failure-burst", &sigv4_options.failure_burst}}) {
    if (const auto& v = flags.Get(flag)) {
      char* end = nullptr;
      const double d = std::strtod(v->c_str(), &end);
      if (v->empty() || end != v->c_str() + v->size() || !(d > 0) || d > 1e9) {
        return Fail(std::string("--") + flag + " must be a positive number, not '" + *v + "'");
      }
      *target = d;
    }
  }

  auto store = store::SqliteInventoryStore::Open(data_dir);
  if (!store.ok()) return Fail(store.error().message());
  Result<bool> exists = (*store)->Exists();
  if (!exists.ok()) return Fail(exists.error().message());

  http::KeyStore keys(data_dir + "/credentials");
  std::optional<http::AccessKey> created_key;
  if (auth_mode == "sigv4") {
    Status loaded_keys = keys.Load();
    if (!loaded_keys.ok() && loaded_keys.error().kind() == ErrorKind::kNotFound) {
      created_key = http::NewAccessKey("default");
      if (Status s = http::WriteCredentials(keys.path(), {*created_key}); !s.ok()) {
        return Fail(s.error().message());
      }
      loaded_keys = keys.Load();
    }
    if (!loaded_keys.ok()) return Fail(loaded_keys.error().message());
  }

  if (!*exists) {
    std::fprintf(stderr, "numberpool: %s holds no inventory yet\n", data_dir.c_str());
    if (Status s = Seed(**store, kDefaultPerBlock, kDefaultSeed, stderr); !s.ok()) {
      return Fail(s.error().message());
    }
  }
  Result<Loaded> loaded = Load(**store, data_dir);
  if (!loaded.ok()) return Fail(loaded.error().message());
  std::fprintf(stderr, "numberpool: loaded %zu available numbers in %zu blocks from %s\n",
               loaded->index->number_count(), loaded->index->block_count(),
               (*store)->path().c_str());

  // Signals are taken by sigwait() below, so every thread started from here on blocks them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  http::SystemClock clock;
  http::AllowAllAuthenticator allow_all;
  http::SigV4Authenticator sigv4(keys, clock, sigv4_options);
  const http::Authenticator& auth =
      auth_mode == "none" ? static_cast<const http::Authenticator&>(allow_all) : sigv4;
  if (auth_mode == "none") {
    std::fprintf(stderr,
                 "numberpool: WARNING: --auth none: every request is served, signed or not. "
                 "Use it only for local experiments.\n");
  }
  http::RequestHandler handler(*loaded->service, auth);
  options.host = listen->first;
  options.port = listen->second;
  options.threads = threads;
  http::Server server(options, handler);
  Result<uint16_t> port = server.Start();
  if (!port.ok()) return Fail(port.error().message());
  const bool v6 = listen->first.find(':') != std::string::npos;
  const std::string url = std::string("http://") + (v6 ? "[" : "") + listen->first +
                          (v6 ? "]" : "") + ":" + std::to_string(*port);
  if (created_key) {
    const std::string path = std::filesystem::absolute(keys.path()).string();
    std::fprintf(stderr,
                 "numberpool: created access key %s (profile \"default\") in %s\n"
                 "numberpool: to call the API with it:\n"
                 "  export AWS_SHARED_CREDENTIALS_FILE=%s AWS_PROFILE=default "
                 "AWS_DEFAULT_REGION=%s\n"
                 "  aws chime search-available-phone-numbers --area-code 206 --endpoint-url %s\n",
                 created_key->id.c_str(), path.c_str(), path.c_str(), sigv4_options.region.c_str(),
                 url.c_str());
  }
  std::printf("listening on %s\n", url.c_str());
  std::fflush(stdout);

  // SIGHUP, or a change seen once a second, reloads the credentials file; a bad file leaves
  // the keys in force and is reported.
  int signal_number = 0;
  std::string last_key_error;
  for (;;) {
    const timespec tick{1, 0};
    signal_number = sigtimedwait(&stop_signals, nullptr, &tick);
    if (signal_number == SIGINT || signal_number == SIGTERM) break;
    if (auth_mode != "sigv4") continue;
    const Status refreshed = signal_number == SIGHUP ? keys.Load() : keys.Refresh();
    const std::string error = refreshed.ok() ? "" : refreshed.error().message();
    if (error != last_key_error && !error.empty()) {
      std::fprintf(stderr, "numberpool: keeping the previous keys: %s\n", error.c_str());
    } else if (signal_number == SIGHUP && error.empty()) {
      std::fprintf(stderr, "numberpool: reloaded %s\n", keys.path().c_str());
    }
    last_key_error = error;
  }
  std::fprintf(stderr, "numberpool: %s received, finishing requests in flight\n",
               signal_number == SIGINT ? "SIGINT" : "SIGTERM");
  server.Shutdown();
  std::fprintf(stderr, "numberpool: stopped\n");
  return 0;
}

int SeedCommand(int argc, char** argv) {
  FlagSet flags("numberpool seed [options]",
                "(Re)creates the default inventory in the data dir, replacing any inventory it\n"
                "holds atomically, and prints what it made.");
  flags.Add("data-dir", kDefaultDataDir, "directory to hold the inventory");
  flags.Add("per-block", std::to_string(kDefaultPerBlock),
            "numbers drawn from each block, 1-" + std::to_string(inventory::kMaxPerBlock));
  flags.Add("seed", std::to_string(kDefaultSeed),
            "seed of the number choice; the same seed gives the same inventory");
  if (int rc = ParseFlags(flags, argc, argv); rc >= 0) return rc;
  int per_block = kDefaultPerBlock;
  if (const auto& p = flags.Get("per-block")) {
    auto n = ParseIntFlag("per-block", *p, 1, inventory::kMaxPerBlock);
    if (!n.ok()) return Fail(n.error().message());
    per_block = static_cast<int>(*n);
  }
  uint64_t seed = kDefaultSeed;
  if (const auto& s = flags.Get("seed")) {
    auto n = ParseIntFlag("seed", *s, 0, 999'999'999'999'999'999LL);
    if (!n.ok()) return Fail(n.error().message());
    seed = static_cast<uint64_t>(*n);
  }
  auto store = store::SqliteInventoryStore::Open(DataDir(flags));
  if (!store.ok()) return Fail(store.error().message());
  if (Status s = Seed(**store, per_block, seed, stdout); !s.ok()) return Fail(s.error().message());
  return 0;
}

int SearchCommand(int argc, char** argv) {
  FlagSet flags("numberpool search [options]",
                "Runs one SearchAvailablePhoneNumbers query against the data dir and prints the\n"
                "JSON the API would return. On a rejected query, prints the API's error JSON to\n"
                "stderr and exits with status 2.");
  flags.Add("data-dir", kDefaultDataDir, "directory holding the inventory");
  const std::vector<std::pair<std::string, std::string>> params = {
      {"area-code", "US area code, three digits"},
      {"city", "US city; requires --state"},
      {"state", "US state or DC, two letters"},
      {"country", "ISO 3166-1 alpha-2 country code"},
      {"phone-number-type", "Local or TollFree; required outside the US"},
      {"toll-free-prefix", "800, 833, 844, 855, 866, 877 or 888"},
      {"max-results", "page size, 1-500"},
      {"next-token", "NextToken of the previous page"},
  };
  for (const auto& [name, help] : params) {
    const std::string def = name == "country" ? "US" : name == "max-results" ? "100" : "";
    flags.Add(name, def, help);
  }
  if (int rc = ParseFlags(flags, argc, argv); rc >= 0) return rc;

  // The flags become the query string the API would get, so that the same rules apply.
  std::string query = "type=phone-numbers";
  for (const auto& [name, help] : params) {
    if (const auto& v = flags.Get(name)) query += "&" + name + "=" + PercentEncode(*v);
  }
  const std::string data_dir = DataDir(flags);
  auto store = store::SqliteInventoryStore::Open(data_dir);
  if (!store.ok()) return Fail(store.error().message());
  Result<bool> exists = (*store)->Exists();
  if (!exists.ok()) return Fail(exists.error().message());
  if (!*exists) return Fail(data_dir + " holds no inventory; run 'numberpool seed' first");
  Result<Loaded> loaded = Load(**store, data_dir);
  if (!loaded.ok()) return Fail(loaded.error().message());
  std::string body;
  if (Status s = loaded->service->SearchQuery(query, body); !s.ok()) {
    const http::ErrorShape shape = http::ShapeOf(http::WireErrorFor(s.error()));
    std::fprintf(stderr, "%s\n", http::ErrorBody(shape.code, s.error().message()).c_str());
    return 2;
  }
  std::printf("%s\n", body.c_str());
  return 0;
}

}  // namespace numberpool::app
