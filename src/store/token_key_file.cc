#include "store/token_key_file.h"

#include <openssl/rand.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/file_util.h"

namespace numberpool::store {
namespace {

constexpr char kHex[] = "0123456789abcdef";

Result<inventory::TokenKey> ParseKey(const std::string& path, std::string text) {
  if (!text.empty() && text.back() == '\n') text.pop_back();
  inventory::TokenKey key{};
  if (text.size() != key.size() * 2) {
    return Error(ErrorKind::kCorrupt, path + " must hold 64 hex digits");
  }
  for (size_t i = 0; i < key.size(); ++i) {
    const auto nibble = [&](char c) -> int {
      const char* p = std::strchr(kHex, c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c);
      return c != '\0' && p ? static_cast<int>(p - kHex) : -1;
    };
    const int hi = nibble(text[2 * i]);
    const int lo = nibble(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return Error(ErrorKind::kCorrupt, path + " must hold 64 hex digits");
    key[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return key;
}

}  // namespace

Result<inventory::TokenKey> LoadOrCreateTokenKey(const std::string& data_dir) {
  const std::string path = data_dir + "/page-token.key";
  Result<std::string> existing = ReadFile(path);
  if (existing.ok()) return ParseKey(path, std::move(existing).value());
  if (existing.error().kind() != ErrorKind::kNotFound) return existing.error();

  if (Status s = EnsureDirectory(data_dir); !s.ok()) return s.error();
  inventory::TokenKey key{};
  if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1) {
    return Error(ErrorKind::kInternal, "the system's random number generator failed");
  }
  std::string text;
  for (uint8_t b : key) {
    text.push_back(kHex[b >> 4]);
    text.push_back(kHex[b & 15]);
  }
  text.push_back('\n');
  // Write under a private name, then link it into place: link() fails if another process got
  // there first, and then its key is the one to use.
  const std::string tmp = path + ".new-" + std::to_string(::getpid());
  if (Status s = WriteFileAtomically(tmp, text, 0600); !s.ok()) return s.error();
  const int rc = ::link(tmp.c_str(), path.c_str());
  const int err = errno;
  ::unlink(tmp.c_str());
  if (rc != 0 && err != EEXIST) {
    return Error(ErrorKind::kIo, "cannot create " + path + ": " + std::strerror(err));
  }
  if (Status s = SyncPath(data_dir); !s.ok()) return s.error();
  Result<std::string> stored = ReadFile(path);
  if (!stored.ok()) return stored.error();
  return ParseKey(path, std::move(stored).value());
}

}  // namespace numberpool::store
