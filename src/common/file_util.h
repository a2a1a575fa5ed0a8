// numberpool/common/file_util.h
//
// Crash-safe file operations for the data dir: a file is either its old or its new content,
// never half-written (write to a temporary name, fsync, rename, fsync the directory).
//
// Thread-safety: stateless functions; concurrent writers of the same path race (last wins).

#ifndef NUMBERPOOL_COMMON_FILE_UTIL_H_
#define NUMBERPOOL_COMMON_FILE_UTIL_H_

#include <string>

#include "common/result.h"

namespace numberpool {

// Creates `dir` (and missing parents) if it does not exist. kIo on failure.
Status EnsureDirectory(const std::string& dir);

// Replaces `path` atomically with `content`, created with permission bits `mode`.
Status WriteFileAtomically(const std::string& path, const std::string& content, unsigned mode);

// Reads the whole of `path`. kNotFound when it does not exist, kIo on other failures.
Result<std::string> ReadFile(const std::string& path);

// fsyncs `path` (a file or a directory). kIo on failure.
Status SyncPath(const std::string& path);

// Renames `from` to `to` atomically and fsyncs the directory holding `to`.
Status RenameDurably(const std::string& from, const std::string& to);

// Returns the directory part of `path` ("." if it has none).
std::string DirName(const std::string& path);

}  // namespace numberpool

#endif  // NUMBERPOOL_COMMON_FILE_UTIL_H_
