// numberpool/testing/sample_inventory.h
//
// A small hand-made inventory for unit tests: a few US local blocks in two states, US
// toll-free blocks and GB blocks, with known numbers, so tests can state exact results.
//
// Thread-safety: plain functions returning fresh values.

#ifndef NUMBERPOOL_TESTING_SAMPLE_INVENTORY_H_
#define NUMBERPOOL_TESTING_SAMPLE_INVENTORY_H_

#include <string>
#include <vector>

#include "inventory/inventory.h"

namespace numberpool::testing {

inline numbering::BlockSpec UsLocal(std::string npa_nxx, std::string state, std::string city) {
  numbering::BlockSpec b;
  b.region = "US";
  b.type = numbering::NumberType::kLocal;
  b.prefix = "1" + npa_nxx;
  b.suffix_digits = 4;
  b.area_code = npa_nxx.substr(0, 3);
  b.state = std::move(state);
  b.city = std::move(city);
  return b;
}

inline numbering::BlockSpec Other(std::string region, numbering::NumberType type,
                                  std::string prefix, int suffix_digits) {
  numbering::BlockSpec b;
  b.region = std::move(region);
  b.type = type;
  b.prefix = std::move(prefix);
  b.suffix_digits = suffix_digits;
  return b;
}

// Blocks (in order) and the suffixes drawn from each:
//   0 +1206200xxxx WA Seattle   {0, 1, 2}
//   1 +1206201xxxx WA Seattle   {5, 9999}
//   2 +1206202xxxx WA ""        {42}
//   3 +1212200xxxx NY New York  {100, 200}
//   4 +1360200xxxx WA Olympia   {7}
//   5 +1800200xxxx toll-free    {1, 2, 3}
//   6 +1888200xxxx toll-free    {4}
//   7 +441212340xx GB Local     {10, 20}
//   8 +448001234xx GB TollFree  {30}
inline inventory::Inventory SampleInventory() {
  using numbering::NumberType;
  inventory::Inventory inv;
  inv.blocks = {
      UsLocal("206200", "WA", "Seattle"),
      UsLocal("206201", "WA", "Seattle"),
      UsLocal("206202", "WA", ""),
      UsLocal("212200", "NY", "New York"),
      UsLocal("360200", "WA", "Olympia"),
      Other("US", NumberType::kTollFree, "1800200", 4),
      Other("US", NumberType::kTollFree, "1888200", 4),
      Other("GB", NumberType::kLocal, "4412123400", 2),
      Other("GB", NumberType::kTollFree, "4480012340", 2),
  };
  const std::vector<std::vector<uint64_t>> suffixes = {
      {0, 1, 2}, {5, 9999}, {42}, {100, 200}, {7}, {1, 2, 3}, {4}, {10, 20}, {30}};
  for (uint32_t b = 0; b < inv.blocks.size(); ++b) {
    for (uint64_t s : suffixes[b]) {
      inv.numbers.push_back({inventory::BlockFirstKey(inv.blocks[b]) + s, b, true});
    }
  }
  return inv;
}

}  // namespace numberpool::testing

#endif  // NUMBERPOOL_TESTING_SAMPLE_INVENTORY_H_
