#include "inventory/inventory.h"

namespace numberpool::inventory {

std::optional<NumberKey> KeyFromDigits(std::string_view digits) {
  if (digits.size() < 2 || digits.size() > 15 || digits[0] < '1' || digits[0] > '9') {
    return std::nullopt;
  }
  uint64_t value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  return digits.size() * kValueLimit + value;
}

std::optional<NumberKey> KeyFromE164(std::string_view e164) {
  if (e164.empty() || e164[0] != '+') return std::nullopt;
  return KeyFromDigits(e164.substr(1));
}

void AppendE164(std::string& out, NumberKey key) {
  const size_t len = static_cast<size_t>(key / kValueLimit);
  uint64_t value = key % kValueLimit;
  const size_t start = out.size();
  out.resize(start + 1 + len);
  out[start] = '+';
  for (size_t i = len; i > 0; --i) {
    out[start + i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

std::string E164FromKey(NumberKey key) {
  std::string s;
  AppendE164(s, key);
  return s;
}

NumberKey BlockFirstKey(const numbering::BlockSpec& block) {
  return *KeyFromDigits(block.prefix + std::string(block.suffix_digits, '0'));
}

NumberKey BlockLastKey(const numbering::BlockSpec& block) {
  return *KeyFromDigits(block.prefix + std::string(block.suffix_digits, '9'));
}

}  // namespace numberpool::inventory
