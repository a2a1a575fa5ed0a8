// numberpool/numbering/us_states.h
//
// The 50 US states and the District of Columbia: two-letter codes and the names the offline
// geocoder uses for them ("California", "Washington State", "Washington D.C.").
//
// Thread-safety: immutable tables; safe from any thread.

#ifndef NUMBERPOOL_NUMBERING_US_STATES_H_
#define NUMBERPOOL_NUMBERING_US_STATES_H_

#include <optional>
#include <string_view>

namespace numberpool::numbering {

// True if `code` is one of the 51 two-letter codes, in upper case.
bool IsUsStateCode(std::string_view code);

// The code for a state-level geocoder description ("Texas" -> "TX", "Washington State" -> "WA",
// "Washington D.C." -> "DC"), or nullopt if `name` names no state.
std::optional<std::string_view> UsStateCodeForName(std::string_view name);

}  // namespace numberpool::numbering

#endif  // NUMBERPOOL_NUMBERING_US_STATES_H_
