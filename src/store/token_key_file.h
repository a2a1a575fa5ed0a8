// numberpool/store/token_key_file.h
//
// The page-token signing key, kept in DATA_DIR/page-token.key (64 hex digits, mode 0600) so
// that tokens stay valid across restarts and on replicas that share the file.
//
// Thread-safety: safe to call concurrently, also from several processes: the first to create
// the file wins and the others read its key.

#ifndef NUMBERPOOL_STORE_TOKEN_KEY_FILE_H_
#define NUMBERPOOL_STORE_TOKEN_KEY_FILE_H_

#include <string>

#include "common/result.h"
#include "inventory/page_token.h"

namespace numberpool::store {

// Reads the key from `data_dir`, creating it from the system's CSPRNG if absent. kCorrupt if
// the file is not 64 hex digits (plus an optional newline), kIo on read or write failure.
[[nodiscard]] Result<inventory::TokenKey> LoadOrCreateTokenKey(const std::string& data_dir);

}  // namespace numberpool::store

#endif  // NUMBERPOOL_STORE_TOKEN_KEY_FILE_H_
