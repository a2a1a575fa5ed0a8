#include "inventory/inventory_generator.h"

#include <algorithm>

namespace numberpool::inventory {
namespace {

uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// FNV-1a: a stable hash, so that a seed means the same numbers on every build.
uint64_t StableHash(std::string_view s) {
  uint64_t h = 0xCBF29CE484222325ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001B3ULL;
  }
  return h;
}

}  // namespace

Inventory GenerateInventory(std::vector<numbering::BlockSpec> blocks,
                            const GeneratorOptions& options) {
  Inventory inv;
  inv.blocks = std::move(blocks);
  inv.numbers.reserve(inv.blocks.size() * static_cast<size_t>(std::max(options.per_block, 0)));
  std::vector<uint64_t> chosen;
  for (uint32_t b = 0; b < inv.blocks.size(); ++b) {
    const numbering::BlockSpec& block = inv.blocks[b];
    uint64_t size = 1;
    for (int i = 0; i < block.suffix_digits; ++i) size *= 10;
    const uint64_t want = std::min<uint64_t>(static_cast<uint64_t>(options.per_block), size);
    uint64_t state = options.seed ^ StableHash(block.prefix);
    chosen.clear();
    while (chosen.size() < want) {
      const uint64_t suffix = SplitMix64(state) % size;
      if (std::find(chosen.begin(), chosen.end(), suffix) == chosen.end()) chosen.push_back(suffix);
    }
    std::sort(chosen.begin(), chosen.end());
    const NumberKey first = BlockFirstKey(block);
    for (uint64_t suffix : chosen) inv.numbers.push_back({first + suffix, b, true});
  }
  return inv;
}

}  // namespace numberpool::inventory
