// numberpool/common/uri.h
//
// Percent-encoding as AWS uses it: RFC 3986 unreserved characters stay, every other byte
// becomes %XX with upper-case hex. Shared by the query parser, the CLI and SigV4.
//
// Thread-safety: stateless functions.

#ifndef NUMBERPOOL_COMMON_URI_H_
#define NUMBERPOOL_COMMON_URI_H_

#include <optional>
#include <string>
#include <string_view>

namespace numberpool {

// Decodes %XX escapes ('+' stays a plus sign). nullopt if an escape is malformed.
std::optional<std::string> PercentDecode(std::string_view s);

// Appends `s` decoded to `out`; false (with `out` partly appended) if an escape is malformed.
// The decoded text is never longer than `s`.
[[nodiscard]] bool AppendPercentDecoded(std::string& out, std::string_view s);

// Encodes every byte but A-Z a-z 0-9 - _ . ~ (and '/' when `keep_slash`).
std::string PercentEncode(std::string_view s, bool keep_slash = false);

// Appends `s` encoded as PercentEncode does; at most three bytes per byte of `s`.
void AppendPercentEncoded(std::string& out, std::string_view s, bool keep_slash = false);

// Whether `c` is an RFC 3986 unreserved character (A-Z a-z 0-9 - _ . ~).
constexpr bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

// The value of a hex digit of either case, or -1.
constexpr int HexDigitValue(char c) {
  return c >= '0' && c <= '9'   ? c - '0'
         : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                : -1;
}

}  // namespace numberpool

#endif  // NUMBERPOOL_COMMON_URI_H_
