// numberpool/numbering/numbering_plan.h
//
// The libphonenumber adapter: which regions exist, which blocks of numbers are assignable in
// them, and what a single number is. Nothing outside this module includes libphonenumber.
//
// A block is a run of 10^suffix_digits consecutive numbers sharing an E.164 prefix: `NPA NXX`
// (10,000 numbers) in the US, a 100-number run elsewhere. Validity, type and geography are
// decided once per block by probing its first, middle and last numbers; libphonenumber's
// metadata for these ranges never depends on the digits a block leaves free (DESIGN.md), and
// inventory_generator_test re-checks generated numbers one by one.
//
// Thread-safety: all functions but EnumerateBlocks are safe to call concurrently.

#ifndef NUMBERPOOL_NUMBERING_NUMBERING_PLAN_H_
#define NUMBERPOOL_NUMBERING_NUMBERING_PLAN_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace numberpool::numbering {

// The two kinds of number the Chime API sells.
enum class NumberType : uint8_t { kLocal = 0, kTollFree = 1 };

// "Local" or "TollFree", as on the wire.
std::string_view NumberTypeName(NumberType type);

// Parses the wire name exactly ("Local", "TollFree").
std::optional<NumberType> ParseNumberType(std::string_view name);

// One block of assignable numbers and the facts shared by all of them.
struct BlockSpec {
  std::string region;  // ISO 3166-1 alpha-2 code, e.g. "US", "GB".
  NumberType type = NumberType::kLocal;
  std::string prefix;     // E.164 digits without '+', e.g. "1206555".
  int suffix_digits = 0;  // The block is prefix followed by any suffix_digits digits.
  // US local numbers only; empty otherwise. city is empty where the geocoder has no city.
  std::string area_code;  // "206"
  std::string state;      // "WA"
  std::string city;       // "Seattle"
};

// All regions libphonenumber has metadata for (two-letter codes), sorted ascending.
const std::vector<std::string>& SupportedRegions();

// True if `region` is in SupportedRegions().
bool IsSupportedRegion(std::string_view region);

// The toll-free prefixes the US sells, as the API spells them.
const std::vector<std::string>& UsTollFreePrefixes();

// Reports progress of a long enumeration: a stage name and the fraction done (0..1).
using ProgressFn = std::function<void(std::string_view stage, double fraction)>;

// Enumerates every block the default inventory is drawn from, sorted by prefix length then
// prefix, with no two blocks overlapping:
//  - US local: each NPA NXX valid for region US and classified FIXED_LINE or
//    FIXED_LINE_OR_MOBILE, except N11, 555, 950 and 976 exchanges; with area code, state and,
//    where the offline geocoder names one, city.
//  - US toll-free: each 8XX NXX under UsTollFreePrefixes() classified TOLL_FREE.
//  - every other region: up to 100 fixed-line blocks and up to 100 toll-free blocks around
//    libphonenumber's example numbers, where the number belongs to that region.
// `workers` processes share the work (0 means one per core); since it forks, call it while the
// process runs no other threads. `progress` may be empty and is called on the calling thread.
std::vector<BlockSpec> EnumerateBlocks(unsigned workers, const ProgressFn& progress);

// What libphonenumber says about one number.
struct NumberFacts {
  bool valid = false;              // IsValidNumber
  std::string region;              // GetRegionCodeForNumber
  std::optional<NumberType> type;  // Local (FIXED_LINE[_OR_MOBILE]) or TollFree, else nullopt
};

// Classifies `e164` ("+12065550100"). An unparsable number gives valid == false.
NumberFacts ClassifyNumber(const std::string& e164);

}  // namespace numberpool::numbering

#endif  // NUMBERPOOL_NUMBERING_NUMBERING_PLAN_H_
