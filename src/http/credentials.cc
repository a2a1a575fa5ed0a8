#include "http/credentials.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <set>

#include "common/file_util.h"

namespace numberpool::http {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::optional<double> ParsePositive(std::string_view s) {
  if (s.empty() || s.size() > 20) return std::nullopt;
  std::string text(s);
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !(v > 0) || v > 1e9) return std::nullopt;
  return v;
}

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

}  // namespace

bool AccessKey::Allows(std::string_view operation) const {
  return std::any_of(allow.begin(), allow.end(),
                     [&](const std::string& a) { return a == "*" || a == operation; });
}

int64_t UnixFromCivil(int year, int month, int day, int hour, int minute, int second) {
  return DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
         hour * 3600 + minute * 60 + second;
}

std::optional<int64_t> ParseRfc3339(std::string_view s) {
  const auto num = [&](size_t pos, size_t len) -> std::optional<int> {
    if (pos + len > s.size()) return std::nullopt;
    int v = 0;
    for (size_t i = pos; i < pos + len; ++i) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  const auto y = num(0, 4), mo = num(5, 2), d = num(8, 2), h = num(11, 2), mi = num(14, 2),
             sec = num(17, 2);
  if (!y || !mo || !d || !h || !mi || !sec || s[4] != '-' || s[7] != '-' ||
      (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s[13] != ':' || s[16] != ':') {
    return std::nullopt;
  }
  if (*mo < 1 || *mo > 12 || *d < 1 || *d > 31 || *h > 23 || *mi > 59 || *sec > 60) {
    return std::nullopt;
  }
  size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    const size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    if (pos == start) return std::nullopt;
  }
  int64_t offset = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    const auto oh = num(pos + 1, 2), om = num(pos + 4, 2);
    if (!oh || !om || pos + 3 >= s.size() || s[pos + 3] != ':' || *oh > 23 || *om > 59) {
      return std::nullopt;
    }
    offset = (s[pos] == '+' ? 1 : -1) * (*oh * 3600 + *om * 60);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  return DaysFromCivil(*y, static_cast<unsigned>(*mo), static_cast<unsigned>(*d)) * 86400 +
         *h * 3600 + *mi * 60 + *sec - offset;
}

std::string FormatRfc3339(int64_t unix_seconds) {
  return FormatUtc(unix_seconds, "%Y-%m-%dT%H:%M:%SZ");
}

std::string FormatUtc(int64_t unix_seconds, const char* format) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  return std::string(buf, std::strftime(buf, sizeof buf, format, &tm));
}

Result<std::vector<AccessKey>> ParseCredentials(std::string_view text) {
  std::vector<AccessKey> keys;
  std::set<std::string> seen_settings;
  size_t line_no = 0;
  const auto bad = [&](const std::string& what) {
    return BadRequest("credentials line " + std::to_string(line_no) + ": " + what);
  };
  size_t section_line = 0;
  const auto finish = [&]() -> Status {
    if (keys.empty()) return Ok{};
    const AccessKey& k = keys.back();
    if (k.id.empty() || k.secret.empty()) {
      return BadRequest("credentials section [" + k.profile + "] (line " +
                        std::to_string(section_line) +
                        ") needs aws_access_key_id and aws_secret_access_key");
    }
    return Ok{};
  };
  for (size_t start = 0; start < text.size();) {
    const size_t nl = std::min(text.find('\n', start), text.size());
    const std::string_view line = Trim(text.substr(start, nl - start));
    start = nl + 1;
    ++line_no;
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line.front() == '[') {
      if (line.back() != ']' || line.size() < 3) return bad("a section must be [name]");
      if (Status s = finish(); !s.ok()) return s.error();
      std::string profile(Trim(line.substr(1, line.size() - 2)));
      if (profile.rfind("profile ", 0) == 0) profile = std::string(Trim(profile.substr(8)));
      for (const AccessKey& k : keys) {
        if (k.profile == profile) return bad("section [" + profile + "] appears twice");
      }
      keys.emplace_back().profile = profile;
      seen_settings.clear();
      section_line = line_no;
      continue;
    }
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos) return bad("expected 'name = value'");
    if (keys.empty()) return bad("a setting before the first [section]");
    const std::string name(Trim(line.substr(0, eq)));
    const std::string value(Trim(line.substr(eq + 1)));
    if (!seen_settings.insert(name).second) return bad(name + " is set twice");
    AccessKey& k = keys.back();
    if (name == "aws_access_key_id") {
      if (value.empty() || value.find_first_of("/ ,=") != std::string::npos) {
        return bad("aws_access_key_id must be non-empty, without '/', ',', '=' or spaces");
      }
      k.id = value;
    } else if (name == "aws_secret_access_key") {
      if (value.empty()) return bad("aws_secret_access_key must not be empty");
      k.secret = value;
    } else if (name == "aws_session_token") {
      if (value.empty()) return bad("aws_session_token must not be empty");
      k.session_token = value;
    } else if (name == "status") {
      if (value == "active")
        k.status = KeyStatus::kActive;
      else if (value == "disabled")
        k.status = KeyStatus::kDisabled;
      else if (value == "blocked")
        k.status = KeyStatus::kBlocked;
      else
        return bad("status must be active, disabled or blocked, not '" + value + "'");
    } else if (name == "allow") {
      k.allow.clear();
      for (size_t p = 0; p <= value.size();) {
        const size_t comma = std::min(value.find(',', p), value.size());
        const std::string op(Trim(std::string_view(value).substr(p, comma - p)));
        if (op.empty()) return bad("allow must list operation names (or *) separated by commas");
        k.allow.push_back(op);
        p = comma + 1;
      }
    } else if (name == "rate" || name == "burst") {
      const auto v = ParsePositive(value);
      if (!v) return bad(name + " must be a positive number, not '" + value + "'");
      (name == "rate" ? k.rate : k.burst) = *v;
    } else if (name == "expires") {
      const auto t = ParseRfc3339(value);
      if (!t) return bad("expires must be an RFC 3339 time such as 2026-12-31T23:59:59Z");
      k.expires = *t;
    } else if (name == "region" || name == "output" || name.rfind("aws_", 0) == 0) {
      // Settings AWS tools keep here; not numberpool's business.
    } else {
      return bad("unknown setting '" + name + "'");
    }
  }
  if (Status s = finish(); !s.ok()) return s.error();
  std::set<std::string> ids;
  for (const AccessKey& k : keys) {
    if (!ids.insert(k.id).second) {
      return BadRequest("credentials: access key " + k.id + " appears in two sections");
    }
  }
  return keys;
}

std::string RenderCredentials(const std::vector<AccessKey>& keys) {
  std::string out =
      "# numberpool access keys (AWS shared-credentials format; keep this file private).\n";
  for (const AccessKey& k : keys) {
    out += "\n[" + k.profile + "]\n";
    out += "aws_access_key_id = " + k.id + "\n";
    out += "aws_secret_access_key = " + k.secret + "\n";
    if (k.session_token) out += "aws_session_token = " + *k.session_token + "\n";
    out += std::string("status = ") +
           (k.status == KeyStatus::kActive     ? "active"
            : k.status == KeyStatus::kDisabled ? "disabled"
                                               : "blocked") +
           "\n";
    std::string allow;
    for (const std::string& a : k.allow) allow += (allow.empty() ? "" : ",") + a;
    out += "allow = " + allow + "\n";
    const auto number = [](double v) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%g", v);
      return std::string(buf);
    };
    if (k.rate) out += "rate = " + number(*k.rate) + "\n";
    if (k.burst) out += "burst = " + number(*k.burst) + "\n";
    if (k.expires) out += "expires = " + FormatRfc3339(*k.expires) + "\n";
  }
  return out;
}

AccessKey NewAccessKey(std::string profile) {
  static constexpr char kIdChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  static constexpr char kSecretChars[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  unsigned char random[58];
  if (RAND_bytes(random, sizeof random) != 1) std::abort();  // no entropy: nothing is safe
  AccessKey key;
  key.profile = std::move(profile);
  key.id = "NP";
  for (int i = 0; i < 18; ++i) key.id.push_back(kIdChars[random[i] & 31]);
  for (int i = 18; i < 58; ++i) key.secret.push_back(kSecretChars[random[i] & 63]);
  OPENSSL_cleanse(random, sizeof random);
  return key;
}

Status WriteCredentials(const std::string& path, const std::vector<AccessKey>& keys) {
  return WriteFileAtomically(path, RenderCredentials(keys), 0600);
}

Status KeyStore::Load() {
  struct stat st {};
  if (::stat(path_.c_str(), &st) != 0) {
    return Error(ErrorKind::kNotFound, path_ + " does not exist");
  }
  Result<std::string> text = ReadFile(path_);
  if (!text.ok()) return text.error();
  Result<std::vector<AccessKey>> keys = ParseCredentials(*text);
  std::lock_guard<std::mutex> lock(mu_);
  mtime_ns_ = static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  size_ = st.st_size;
  if (!keys.ok()) return Error(keys.error().kind(), path_ + ": " + keys.error().message());
  keys_ = std::make_shared<const std::vector<AccessKey>>(std::move(keys).value());
  // Versions are unique across stores, so a thread's snapshot of a store that has since been
  // destroyed can never pass for one of a new store at the same address.
  static std::atomic<uint64_t> next_version{1};
  version_.store(next_version.fetch_add(1), std::memory_order_release);
  return Ok{};
}

Status KeyStore::Refresh() {
  struct stat st {};
  if (::stat(path_.c_str(), &st) != 0) return Ok{};  // removed: keep the keys in force
  const int64_t mtime =
      static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (mtime == mtime_ns_ && st.st_size == size_) return Ok{};
  }
  return Load();
}

const AccessKey* KeyStore::Find(std::string_view id) const {
  struct Seen {
    const KeyStore* store = nullptr;
    uint64_t version = 0;
    std::shared_ptr<const std::vector<AccessKey>> keys;
  };
  thread_local Seen seen;
  const uint64_t version = version_.load(std::memory_order_acquire);
  if (seen.store != this || seen.version != version) {
    std::lock_guard<std::mutex> lock(mu_);
    seen = {this, version_.load(std::memory_order_relaxed), keys_};
  }
  if (!seen.keys) return nullptr;
  for (const AccessKey& k : *seen.keys) {
    if (k.id == id) return &k;
  }
  return nullptr;
}

}  // namespace numberpool::http
