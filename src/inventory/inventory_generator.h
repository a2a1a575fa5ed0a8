// numberpool/inventory/inventory_generator.h
//
// Draws the default inventory's numbers from enumerated blocks. Deterministic: the same blocks,
// seed and per-block count give the same numbers on any machine.
//
// Thread-safety: stateless functions.

#ifndef NUMBERPOOL_INVENTORY_INVENTORY_GENERATOR_H_
#define NUMBERPOOL_INVENTORY_INVENTORY_GENERATOR_H_

#include <cstdint>
#include <vector>

#include "inventory/inventory.h"

namespace numberpool::inventory {

struct GeneratorOptions {
  int per_block = 4;  // numbers drawn from each block (capped at the block's size)
  uint64_t seed = 1;
};

inline constexpr int kMaxPerBlock = 100;

// Returns an Inventory holding `blocks` (which must be sorted and disjoint, as
// numbering::EnumerateBlocks returns them) and, from each, `per_block` distinct numbers chosen
// by a PRNG keyed on (seed, block prefix), all available.
Inventory GenerateInventory(std::vector<numbering::BlockSpec> blocks,
                            const GeneratorOptions& options);

}  // namespace numberpool::inventory

#endif  // NUMBERPOOL_INVENTORY_INVENTORY_GENERATOR_H_
