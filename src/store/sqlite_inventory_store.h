// numberpool/store/sqlite_inventory_store.h
//
// SqliteInventoryStore: an InventoryStore in one SQLite file, DATA_DIR/inventory.sqlite3.
// Replace() builds a complete new file beside the old one and renames it into place, so the
// file is always a whole inventory. Facts are stored per block, status per number.
//
// Thread-safety: each call opens its own connection; concurrent readers are safe, and a
// Replace() racing another leaves one of the two inventories whole.

#ifndef NUMBERPOOL_STORE_SQLITE_INVENTORY_STORE_H_
#define NUMBERPOOL_STORE_SQLITE_INVENTORY_STORE_H_

#include <memory>
#include <string>

#include "store/inventory_store.h"

namespace numberpool::store {

class SqliteInventoryStore final : public InventoryStore {
 public:
  // A store for `data_dir`; creates the directory if needed. kIo if that fails.
  [[nodiscard]] static Result<std::unique_ptr<SqliteInventoryStore>> Open(
      const std::string& data_dir);

  Result<bool> Exists() const override;
  Result<inventory::Inventory> Load() const override;
  Result<InventoryInfo> Info() const override;
  Status Replace(const inventory::Inventory& inventory, const InventoryInfo& info) override;

  const std::string& path() const { return path_; }

 private:
  explicit SqliteInventoryStore(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

}  // namespace numberpool::store

#endif  // NUMBERPOOL_STORE_SQLITE_INVENTORY_STORE_H_
