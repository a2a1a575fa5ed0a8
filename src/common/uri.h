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

// Encodes every byte but A-Z a-z 0-9 - _ . ~ (and '/' when `keep_slash`).
std::string PercentEncode(std::string_view s, bool keep_slash = false);

}  // namespace numberpool

#endif  // NUMBERPOOL_COMMON_URI_H_
