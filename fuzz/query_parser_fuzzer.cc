// Fuzz target: the SearchAvailablePhoneNumbers query parser. Any input must give a request or
// a kBadRequest error, never a crash.

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "api/search_request.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view query(reinterpret_cast<const char*>(data), size);
  const auto r = numberpool::api::ParseSearchQuery(query);
  if (!r.ok() && r.error().kind() != numberpool::ErrorKind::kBadRequest) std::abort();
  if (r.ok() && (r->max_results < 1 || r->max_results > 500)) std::abort();
  return 0;
}
