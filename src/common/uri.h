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

// One piece of a raw query string, between '&'s, still percent-encoded: `name` is what comes
// before its first '=', `value` what follows it (empty when there is no '=').
struct QueryPiece {
  std::string_view text;
  std::string_view name;
  std::string_view value;
};

// Splits a raw query string at '&', in order. An empty query has no pieces; a stray '&'
// ("a&&b", "a&") makes an empty one, for the caller to refuse or skip.
//   QueryPiece p;
//   for (QuerySplitter pieces(query); pieces.Next(p);) ...
class QuerySplitter {
 public:
  explicit QuerySplitter(std::string_view query) : rest_(query), done_(query.empty()) {}

  bool Next(QueryPiece& piece) {
    if (done_) return false;
    const size_t amp = rest_.find('&');
    piece.text = rest_.substr(0, amp);
    if (amp == std::string_view::npos) {
      done_ = true;
    } else {
      rest_.remove_prefix(amp + 1);
    }
    const size_t eq = piece.text.find('=');
    piece.name = piece.text.substr(0, eq);
    piece.value = eq == std::string_view::npos ? std::string_view() : piece.text.substr(eq + 1);
    return true;
  }

 private:
  std::string_view rest_;
  bool done_;
};

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
