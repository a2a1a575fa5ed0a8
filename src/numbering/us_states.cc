#include "numbering/us_states.h"

#include <array>
#include <utility>

namespace numberpool::numbering {
namespace {

struct State {
  std::string_view code;
  std::string_view name;
};

constexpr std::array<State, 51> kStates = {{
    {"AL", "Alabama"},        {"AK", "Alaska"},         {"AZ", "Arizona"},
    {"AR", "Arkansas"},       {"CA", "California"},     {"CO", "Colorado"},
    {"CT", "Connecticut"},    {"DE", "Delaware"},       {"DC", "Washington D.C."},
    {"FL", "Florida"},        {"GA", "Georgia"},        {"HI", "Hawaii"},
    {"ID", "Idaho"},          {"IL", "Illinois"},       {"IN", "Indiana"},
    {"IA", "Iowa"},           {"KS", "Kansas"},         {"KY", "Kentucky"},
    {"LA", "Louisiana"},      {"ME", "Maine"},          {"MD", "Maryland"},
    {"MA", "Massachusetts"},  {"MI", "Michigan"},       {"MN", "Minnesota"},
    {"MS", "Mississippi"},    {"MO", "Missouri"},       {"MT", "Montana"},
    {"NE", "Nebraska"},       {"NV", "Nevada"},         {"NH", "New Hampshire"},
    {"NJ", "New Jersey"},     {"NM", "New Mexico"},     {"NY", "New York"},
    {"NC", "North Carolina"}, {"ND", "North Dakota"},   {"OH", "Ohio"},
    {"OK", "Oklahoma"},       {"OR", "Oregon"},         {"PA", "Pennsylvania"},
    {"RI", "Rhode Island"},   {"SC", "South Carolina"}, {"SD", "South Dakota"},
    {"TN", "Tennessee"},      {"TX", "Texas"},          {"UT", "Utah"},
    {"VT", "Vermont"},        {"VA", "Virginia"},       {"WA", "Washington State"},
    {"WV", "West Virginia"},  {"WI", "Wisconsin"},      {"WY", "Wyoming"},
}};

// Other spellings the geocoder data uses for a whole state.
constexpr std::array<State, 3> kAliases = {{
    {"WA", "Washington"},
    {"DC", "District of Columbia"},
    {"DC", "Washington, D.C."},
}};

}  // namespace

bool IsUsStateCode(std::string_view code) {
  for (const State& s : kStates) {
    if (s.code == code) return true;
  }
  return false;
}

std::optional<std::string_view> UsStateCodeForName(std::string_view name) {
  for (const State& s : kStates) {
    if (s.name == name) return s.code;
  }
  for (const State& s : kAliases) {
    if (s.name == name) return s.code;
  }
  return std::nullopt;
}

}  // namespace numberpool::numbering
