// numberpool/http/credentials.h
//
// Access keys, kept in DATA_DIR/credentials in the AWS shared-credentials INI format, so the
// same file works with `AWS_SHARED_CREDENTIALS_FILE=... aws --profile NAME`. Each section is
// one key: aws_access_key_id, aws_secret_access_key, optional aws_session_token, and
// numberpool's own settings: status (active | disabled | blocked), allow (operation names or
// *), rate and burst (requests per second and bucket size), expires (RFC 3339).
//
// Thread-safety: value types and stateless functions; KeyStore is safe for concurrent use.

#ifndef NUMBERPOOL_HTTP_CREDENTIALS_H_
#define NUMBERPOOL_HTTP_CREDENTIALS_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace numberpool::http {

enum class KeyStatus { kActive, kDisabled, kBlocked };

struct AccessKey {
  std::string profile;  // the section name
  std::string id;
  std::string secret;
  std::optional<std::string> session_token;
  KeyStatus status = KeyStatus::kActive;
  std::vector<std::string> allow = {"*"};
  std::optional<double> rate;  // requests per second; server default when absent
  std::optional<double> burst;
  std::optional<int64_t> expires;  // Unix seconds

  bool Allows(std::string_view operation) const;
};

// Parses the file's text. kBadRequest naming the line for anything malformed: a line outside
// a section, a duplicate section or setting, a missing id or secret, a bad status, number or
// date, an id used by two sections. Comments start with # or ;.
[[nodiscard]] Result<std::vector<AccessKey>> ParseCredentials(std::string_view text);

// Renders keys in the same format (secrets included: the file is mode 0600).
std::string RenderCredentials(const std::vector<AccessKey>& keys);

// A new active key with a random id ("NP" and 18 letters and digits) and a 40-character
// secret, from the system's CSPRNG.
AccessKey NewAccessKey(std::string profile);

// Writes `keys` to `path` atomically, mode 0600.
[[nodiscard]] Status WriteCredentials(const std::string& path, const std::vector<AccessKey>& keys);

// Parses RFC 3339 ("2026-12-31T23:59:59Z", "...+02:00", fractions allowed) to Unix seconds.
std::optional<int64_t> ParseRfc3339(std::string_view text);
std::string FormatRfc3339(int64_t unix_seconds);

// Unix seconds as UTC, formatted by strftime(3) `format` (at most 31 characters of output).
std::string FormatUtc(int64_t unix_seconds, const char* format);

// Unix seconds of a UTC civil time (fields as written: month 1-12, day 1-31).
int64_t UnixFromCivil(int year, int month, int day, int hour, int minute, int second);

// The keys of one credentials file, reloaded when the file changes (Refresh()).
class KeyStore final {
 public:
  explicit KeyStore(std::string path) : path_(std::move(path)) {}

  // Loads the file now. kNotFound if it does not exist; errors of ParseCredentials otherwise.
  [[nodiscard]] Status Load();

  // Reloads if the file's modification time or size changed since the last load. On a bad
  // file the previous keys stay in force and the error is returned.
  [[nodiscard]] Status Refresh();

  // The key with `id`, or nullptr. The key is the calling thread's snapshot of the file: it
  // stays valid on this thread until its next Find (on any KeyStore), and it costs no atomic
  // write, so threads looking keys up do not contend.
  const AccessKey* Find(std::string_view id) const;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  mutable std::mutex mu_;
  std::shared_ptr<const std::vector<AccessKey>> keys_;
  // Bumped on every load; threads keep the snapshot they saw last and take the lock only
  // when this has moved, so lookups on the request path do not contend.
  std::atomic<uint64_t> version_{0};
  int64_t mtime_ns_ = -1;
  int64_t size_ = -1;
};

}  // namespace numberpool::http

#endif  // NUMBERPOOL_HTTP_CREDENTIALS_H_
