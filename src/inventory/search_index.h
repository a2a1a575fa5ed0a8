// numberpool/inventory/search_index.h
//
// SearchIndex: the in-memory index the API searches. Facts live per block; each filter value
// (country and type, area code, state, city, toll-free prefix) maps to the ascending list of
// blocks it covers, and a search walks the most selective list from the cursor, checking the
// other filters per block, until it has enough numbers.
//
// Thread-safety: immutable after Build(); any number of threads may Search() concurrently.

#ifndef NUMBERPOOL_INVENTORY_SEARCH_INDEX_H_
#define NUMBERPOOL_INVENTORY_SEARCH_INDEX_H_

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "inventory/inventory.h"

namespace numberpool::inventory {

// City names compare after this: surrounding spaces removed, inner runs of spaces made one,
// ASCII letters lower-cased.
std::string NormalizeCityName(std::string_view city);

// What to search for. Fields left empty do not filter. city and state are matched
// case-insensitively (state is expected upper-case, city as NormalizeCityName makes it).
struct SearchFilter {
  std::string country = "US";
  numbering::NumberType type = numbering::NumberType::kLocal;
  std::string area_code;
  std::string state;
  std::string city;
  std::string toll_free_prefix;

  // A string identifying the filter exactly, for binding page tokens to a query.
  std::string Fingerprint() const;
};

// One page of results, in ascending key order, as runs of consecutive numbers of one block.
// Each run is the numbers' text as JSON array items, each quoted and followed by a comma
// (`"+12065550100","+12065550101",`), owned by the index: a page of 500 numbers is rendered by
// copying a few block-sized runs, which was the largest cost of a page when done per number.
struct SearchPage {
  std::vector<std::string_view> runs;
  size_t count = 0;     // numbers in the runs
  NumberKey last = 0;   // key of the last of them
  bool more = false;    // another matching number exists beyond them
};

// Splits runs into the E.164 numbers they hold ("+12065550100", ...).
std::vector<std::string> NumbersOf(const std::vector<std::string_view>& runs);

class SearchIndex final {
 public:
  // Builds the index over the available numbers of `inventory`. kCorrupt if the inventory
  // breaks the invariants documented in inventory.h.
  [[nodiscard]] static Result<std::unique_ptr<SearchIndex>> Build(const Inventory& inventory);

  // Returns up to `limit` numbers matching `filter` with keys greater than `after` (0 for the
  // first page), and whether another matching number exists beyond them.
  SearchPage Search(const SearchFilter& filter, NumberKey after, size_t limit) const;

  size_t block_count() const { return blocks_.size(); }
  size_t number_count() const { return numbers_.size(); }

 private:
  struct Block {
    NumberKey first_key;
    NumberKey last_key;
    uint32_t begin;  // range in numbers_
    uint32_t end;
    uint16_t area_code;  // 0 for none
    uint8_t state;       // index + 1 into states_, 0 for none
    uint32_t city;       // index + 1 into cities_, 0 for none
  };

  SearchIndex() = default;

  // A filter resolved against the index once per search: the block list to walk and the
  // interned values each block on it is checked against (0 where the filter leaves it free).
  struct Plan {
    const std::vector<uint32_t>* list = nullptr;
    uint16_t area_code = 0;
    uint8_t state = 0;
    uint32_t city = 0;
  };

  // nullopt when nothing can match (an unknown state, city or area code).
  std::optional<Plan> Resolve(const SearchFilter& filter) const;

  std::vector<Block> blocks_;
  std::vector<NumberKey> numbers_;
  // Every available number as a JSON array item (see SearchPage), in numbers_ order;
  // item i is items_[item_offsets_[i], item_offsets_[i + 1]).
  std::string items_;
  std::vector<uint32_t> item_offsets_;
  std::vector<std::string> states_;                     // "WA", ...
  std::unordered_map<std::string, uint32_t> city_ids_;  // "WA|seattle" -> city index + 1
  std::unordered_map<std::string, std::vector<uint32_t>> by_region_type_;  // "GB|Local"
  std::array<std::vector<uint32_t>, 1000> by_area_code_;                   // US local
  std::vector<std::vector<uint32_t>> by_state_;  // US local, per state index
  std::vector<std::vector<uint32_t>> by_city_;   // US local, per city index
  std::unordered_map<std::string, std::vector<uint32_t>> by_toll_free_prefix_;  // "800"
};

}  // namespace numberpool::inventory

#endif  // NUMBERPOOL_INVENTORY_SEARCH_INDEX_H_
