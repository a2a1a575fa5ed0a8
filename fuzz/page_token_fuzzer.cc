// Fuzz target: the page-token decoder. No input may crash it, and none but a token this codec
// made may decode (the fuzzer cannot forge an HMAC).

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "inventory/page_token.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const numberpool::inventory::PageTokenCodec codec([] {
    numberpool::inventory::TokenKey key;
    key.fill(0x5a);
    return key;
  }());
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t split = input.find('|');
  const std::string_view token = input.substr(0, split);
  const std::string_view fingerprint =
      split == std::string_view::npos ? std::string_view() : input.substr(split + 1);
  if (const auto last = codec.Decode(token, fingerprint)) {
    if (codec.Encode(fingerprint, *last) != token) std::abort();  // only our own tokens decode
  }
  return 0;
}
