// `numberpool keys`: manages DATA_DIR/credentials. Every change reads, edits and rewrites the
// file atomically (mode 0600) under an exclusive lock, so concurrent edits are not lost; a
// running server picks the change up within a second.

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "app/commands.h"
#include "app/flags.h"
#include "common/file_util.h"
#include "http/credentials.h"

namespace numberpool::app {
namespace {

constexpr char kUsage[] =
    "usage: numberpool keys <create|list|disable|enable|delete> [options]\n"
    "\n"
    "Manages the access keys in DATA_DIR/credentials (AWS shared-credentials format).\n"
    "  create    add a key and print its secret (shown only here)\n"
    "  list      list the keys, never their secrets\n"
    "  disable   ID|PROFILE: requests signed with it get 401 UnauthorizedClientException\n"
    "  enable    ID|PROFILE: make it active again\n"
    "  delete    ID|PROFILE: remove it\n"
    "\n"
    "'numberpool keys <action> --help' lists each action's options.\n";

int Fail(const std::string& message) {
  std::fprintf(stderr, "numberpool: %s\n", message.c_str());
  return 1;
}

// Holds an exclusive lock on DATA_DIR/credentials.lock while alive.
class FileLock final {
 public:
  explicit FileLock(const std::string& path)
      : fd_(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)) {
    if (fd_ >= 0 && ::flock(fd_, LOCK_EX) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~FileLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool ok() const { return fd_ >= 0; }

 private:
  int fd_;
};

Result<std::vector<http::AccessKey>> ReadKeys(const std::string& path) {
  Result<std::string> text = ReadFile(path);
  if (!text.ok()) {
    if (text.error().kind() == ErrorKind::kNotFound) return std::vector<http::AccessKey>{};
    return text.error();
  }
  auto keys = http::ParseCredentials(*text);
  if (!keys.ok()) return Error(keys.error().kind(), path + ": " + keys.error().message());
  return keys;
}

std::vector<http::AccessKey>::iterator FindKey(std::vector<http::AccessKey>& keys,
                                               const std::string& which) {
  return std::find_if(keys.begin(), keys.end(), [&](const http::AccessKey& k) {
    return k.id == which || k.profile == which;
  });
}

}  // namespace

int KeysCommand(int argc, char** argv) {
  if (argc < 3 || !std::strcmp(argv[2], "--help") || !std::strcmp(argv[2], "-h")) {
    std::fputs(kUsage, argc < 3 ? stderr : stdout);
    return argc < 3 ? 1 : 0;
  }
  const std::string action = argv[2];
  const bool by_name = action == "disable" || action == "enable" || action == "delete";
  if (action != "create" && action != "list" && !by_name) {
    std::fprintf(stderr, "numberpool: unknown keys action '%s'\n\n%s", action.c_str(), kUsage);
    return 1;
  }
  FlagSet flags("numberpool keys " + action + (by_name ? " ID|PROFILE" : "") + " [options]",
                action == "create" ? "Adds an access key and prints it with how to use it."
                : action == "list" ? "Lists the access keys (never their secrets)."
                                   : "Changes one key, named by its id or its profile.");
  flags.Add("data-dir", "./numberpool-data", "directory holding the credentials file");
  if (action == "create") {
    flags.Add("profile", "the key's id", "section name, for aws --profile");
    flags.Add("allow", "*", "operations the key may call, comma-separated, or *");
    flags.Add("rate", "the server's default", "requests per second");
    flags.Add("burst", "the server's default", "bucket size (requests)");
    flags.Add("expires", "never", "RFC 3339 time the key stops working, for temporary keys");
    flags.Add("session-token", "no", "'yes' to give the key a session token, as AWS STS keys have");
  }
  int first = 3;
  std::string which;
  if (by_name) {
    if (argc < 4 || argv[3][0] == '-') {
      if (argc >= 4 && (!std::strcmp(argv[3], "--help") || !std::strcmp(argv[3], "-h"))) {
        std::fputs(flags.Help().c_str(), stdout);
        return 0;
      }
      return Fail("keys " + action + " needs the key's id or profile");
    }
    which = argv[3];
    first = 4;
  }
  if (Status s = flags.Parse(argc, argv, first); !s.ok()) return Fail(s.error().message());
  if (flags.help_requested()) {
    std::fputs(flags.Help().c_str(), stdout);
    return 0;
  }
  const std::string data_dir = flags.Get("data-dir").value_or("./numberpool-data");
  const std::string path = data_dir + "/credentials";
  if (Status s = EnsureDirectory(data_dir); !s.ok()) return Fail(s.error().message());
  FileLock lock(path + ".lock");
  if (!lock.ok()) return Fail("cannot lock " + path + ".lock");
  auto keys = ReadKeys(path);
  if (!keys.ok()) return Fail(keys.error().message());

  if (action == "list") {
    std::printf("%-24s %-22s %-9s %-10s %-8s %-8s %-21s %s\n", "profile", "access key id", "status",
                "allow", "rate", "burst", "expires", "session token");
    for (const http::AccessKey& k : *keys) {
      std::string allow;
      for (const std::string& a : k.allow) allow += (allow.empty() ? "" : ",") + a;
      const auto number = [](const std::optional<double>& v) {
        return v ? std::to_string(*v).substr(0, std::to_string(*v).find('.') + 2) : "default";
      };
      std::printf("%-24s %-22s %-9s %-10s %-8s %-8s %-21s %s\n", k.profile.c_str(), k.id.c_str(),
                  k.status == http::KeyStatus::kActive     ? "active"
                  : k.status == http::KeyStatus::kDisabled ? "disabled"
                                                           : "blocked",
                  allow.c_str(), number(k.rate).c_str(), number(k.burst).c_str(),
                  k.expires ? http::FormatRfc3339(*k.expires).c_str() : "never",
                  k.session_token ? "yes" : "no");
    }
    return 0;
  }

  if (action == "create") {
    // Builds the new section as text and parses it with the file's own rules.
    http::AccessKey key = http::NewAccessKey("");
    key.profile = flags.Get("profile").value_or(key.id);
    std::string section = "[" + key.profile + "]\naws_access_key_id = " + key.id +
                          "\naws_secret_access_key = " + key.secret + "\n";
    for (const char* name : {"allow", "rate", "burst", "expires"}) {
      if (const auto& v = flags.Get(name)) section += std::string(name) + " = " + *v + "\n";
    }
    const std::string token_flag = flags.Get("session-token").value_or("no");
    if (token_flag != "yes" && token_flag != "no") return Fail("--session-token must be yes or no");
    if (token_flag == "yes") {
      section += "aws_session_token = " + http::NewAccessKey("").secret + "\n";
    }
    auto parsed = http::ParseCredentials(section);
    if (!parsed.ok()) return Fail(parsed.error().message());
    for (const http::AccessKey& k : *keys) {
      if (k.profile == key.profile) return Fail("profile '" + key.profile + "' already exists");
    }
    keys->push_back(parsed->front());
    if (Status s = http::WriteCredentials(path, *keys); !s.ok()) return Fail(s.error().message());
    const http::AccessKey& k = keys->back();
    const std::string abs = std::filesystem::absolute(path).string();
    std::printf("aws_access_key_id = %s\naws_secret_access_key = %s\n", k.id.c_str(),
                k.secret.c_str());
    if (k.session_token) std::printf("aws_session_token = %s\n", k.session_token->c_str());
    std::printf("\nto use it: export AWS_SHARED_CREDENTIALS_FILE=%s AWS_PROFILE=%s\n", abs.c_str(),
                k.profile.c_str());
    return 0;
  }

  auto it = FindKey(*keys, which);
  if (it == keys->end()) return Fail("no key with id or profile '" + which + "' in " + path);
  const std::string id = it->id;
  if (action == "delete") {
    keys->erase(it);
  } else {
    it->status = action == "disable" ? http::KeyStatus::kDisabled : http::KeyStatus::kActive;
  }
  if (Status s = http::WriteCredentials(path, *keys); !s.ok()) return Fail(s.error().message());
  std::printf("%s %s\n", id.c_str(), action == "delete" ? "deleted" : (action + "d").c_str());
  return 0;
}

}  // namespace numberpool::app
