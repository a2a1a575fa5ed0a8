// numberpool/common/json_writer.h
//
// Appends JSON string literals to a buffer. Output is always valid JSON in UTF-8: control
// characters are escaped, and bytes that are not part of well-formed UTF-8 become U+FFFD, so
// text taken from a request can be echoed in an error message safely.
//
// Thread-safety: stateless functions.

#ifndef NUMBERPOOL_COMMON_JSON_WRITER_H_
#define NUMBERPOOL_COMMON_JSON_WRITER_H_

#include <string>
#include <string_view>

namespace numberpool {

// Appends `text` as a quoted JSON string to `out`.
void AppendJsonString(std::string& out, std::string_view text);

// Returns `text` shortened to at most `max_bytes` bytes (plus "..." when cut), for echoing
// caller input in messages without letting it grow a response without bound.
std::string Abbreviate(std::string_view text, size_t max_bytes = 64);

}  // namespace numberpool

#endif  // NUMBERPOOL_COMMON_JSON_WRITER_H_
