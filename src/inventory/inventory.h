// numberpool/inventory/inventory.h
//
// The inventory as data: blocks with their facts, and the numbers drawn from them. This is what
// the generator makes, the store persists and loads, and the search index is built from.
//
// A number is kept as a NumberKey, an integer whose order is the API's result order: shorter
// numbers first, numbers of one length by value. Because an E.164 number has no leading zero,
// the key is length * 10^15 + value, and converts back to exactly one E.164 string.
//
// Thread-safety: plain value types.

#ifndef NUMBERPOOL_INVENTORY_INVENTORY_H_
#define NUMBERPOOL_INVENTORY_INVENTORY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "numbering/numbering_plan.h"

namespace numberpool::inventory {

using NumberKey = uint64_t;

inline constexpr uint64_t kValueLimit = 1'000'000'000'000'000ULL;  // 10^15

// The key of an E.164 number given as its digits ("12065550100"), or nullopt unless `digits`
// is 2 to 15 decimal digits not starting with 0.
std::optional<NumberKey> KeyFromDigits(std::string_view digits);

// The key of "+12065550100", or nullopt unless it is '+' and valid digits as above.
std::optional<NumberKey> KeyFromE164(std::string_view e164);

// The length of the E.164 form of `key`, '+' included.
inline size_t E164Length(NumberKey key) { return 1 + static_cast<size_t>(key / kValueLimit); }

// Writes the E.164 form ("+12065550100") of `key` at `p`, which must have room for
// E164Length(key) bytes, and returns the end of what it wrote. `key` must come from KeyFrom*.
char* WriteE164(char* p, NumberKey key);

// Appends the E.164 form of `key` to `out`.
void AppendE164(std::string& out, NumberKey key);
std::string E164FromKey(NumberKey key);

// A number in the inventory.
struct InventoryNumber {
  NumberKey key = 0;
  uint32_t block = 0;  // index into Inventory::blocks
  bool available = true;
};

// The whole inventory. Invariants (checked by SearchIndex::Build and the store):
// blocks sorted by their first number and disjoint; numbers sorted by key, unique, each inside
// the range of its block.
struct Inventory {
  std::vector<numbering::BlockSpec> blocks;
  std::vector<InventoryNumber> numbers;
};

// The first and last key of a block's range.
NumberKey BlockFirstKey(const numbering::BlockSpec& block);
NumberKey BlockLastKey(const numbering::BlockSpec& block);

}  // namespace numberpool::inventory

#endif  // NUMBERPOOL_INVENTORY_INVENTORY_H_
