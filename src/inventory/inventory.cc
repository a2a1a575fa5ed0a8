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

namespace {

constexpr char kDigitPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

}  // namespace

char* WriteE164(char* p, NumberKey key) {
  // Rendering dominates a 500-number page, so digits go out two at a time, from the right.
  const size_t len = static_cast<size_t>(key / kValueLimit);
  uint64_t value = key % kValueLimit;
  char* const end = p + 1 + len;
  char* q = end;
  while (value >= 100) {
    const uint64_t pair = value % 100;
    value /= 100;
    q -= 2;
    q[0] = kDigitPairs[2 * pair];
    q[1] = kDigitPairs[2 * pair + 1];
  }
  if (value >= 10) {
    q -= 2;
    q[0] = kDigitPairs[2 * value];
    q[1] = kDigitPairs[2 * value + 1];
  } else {
    *--q = static_cast<char>('0' + value);
  }
  *p = '+';
  return end;
}

void AppendE164(std::string& out, NumberKey key) {
  const size_t start = out.size();
  out.resize(start + E164Length(key));
  WriteE164(out.data() + start, key);
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
