// numberpool/store/inventory_store.h
//
// InventoryStore: the inventory's source of truth. The in-memory SearchIndex is built from
// what Load() returns. Implementations: SqliteInventoryStore (embedded, the default); a
// PostgreSQL store is planned.
//
// Thread-safety: implementations document their own; callers must not share one instance
// across threads without synchronization.

#ifndef NUMBERPOOL_STORE_INVENTORY_STORE_H_
#define NUMBERPOOL_STORE_INVENTORY_STORE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "common/result.h"
#include "inventory/inventory.h"

namespace numberpool::store {

// How an inventory was made, kept beside it.
struct InventoryInfo {
  uint64_t seed = 0;
  int per_block = 0;
  std::string created_at;  // RFC 3339, UTC
};

class InventoryStore {
 public:
  virtual ~InventoryStore() = default;

  // True if the store holds an inventory. kIo or kCorrupt if it cannot tell.
  [[nodiscard]] virtual Result<bool> Exists() const = 0;

  // The whole inventory, meeting the invariants of inventory.h. kNotFound if there is none,
  // kCorrupt if the stored data breaks them, kIo on read failure.
  [[nodiscard]] virtual Result<inventory::Inventory> Load() const = 0;

  // The stored InventoryInfo. Errors as Load().
  [[nodiscard]] virtual Result<InventoryInfo> Info() const = 0;

  // Replaces the stored inventory with `inventory` atomically: after a crash at any point the
  // store holds either the old or the new inventory in full.
  [[nodiscard]] virtual Status Replace(const inventory::Inventory& inventory,
                                       const InventoryInfo& info) = 0;
};

}  // namespace numberpool::store

#endif  // NUMBERPOOL_STORE_INVENTORY_STORE_H_
