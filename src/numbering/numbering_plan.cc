#include "numbering/numbering_plan.h"

#include <phonenumbers/geocoding/phonenumber_offline_geocoder.h>
#include <phonenumbers/phonenumberutil.h>
#include <sys/wait.h>
#include <unicode/locid.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <thread>

#include "numbering/us_states.h"

namespace numberpool::numbering {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberOfflineGeocoder;
using i18n::phonenumbers::PhoneNumberUtil;

const PhoneNumberUtil& Util() { return *PhoneNumberUtil::GetInstance(); }

std::optional<NumberType> ApiType(PhoneNumberUtil::PhoneNumberType t) {
  switch (t) {
    case PhoneNumberUtil::FIXED_LINE:
    case PhoneNumberUtil::FIXED_LINE_OR_MOBILE:
      return NumberType::kLocal;
    case PhoneNumberUtil::TOLL_FREE:
      return NumberType::kTollFree;
    default:
      return std::nullopt;
  }
}

PhoneNumber UsNumber(int npa, int nxx, int line) {
  PhoneNumber n;
  n.set_country_code(1);
  n.set_national_number(static_cast<uint64_t>(npa) * 10000000 + static_cast<uint64_t>(nxx) * 10000 +
                        static_cast<uint64_t>(line));
  return n;
}

// A US block is of `want` if its first and last numbers are valid for region US and the type
// of its first number is `want`. (The US metadata decides validity per NPA NXX and type per
// NPA; GetNumberType, at ~12 us the dearest call, runs once per valid block.)
bool IsUsBlockOfType(int npa, int nxx, NumberType want) {
  const PhoneNumberUtil& util = Util();
  const PhoneNumber first = UsNumber(npa, nxx, 0);
  return util.IsValidNumberForRegion(first, "US") &&
         util.IsValidNumberForRegion(UsNumber(npa, nxx, 9999), "US") &&
         ApiType(util.GetNumberType(first)) == want;
}

// Exchanges that pass IsValidNumber but are not subscriber numbers.
bool IsReservedExchange(int nxx) {
  return nxx % 100 == 11 || nxx == 555 || nxx == 950 || nxx == 976;
}

// Splits a geocoder description into state and city ("Seattle, WA" or "Washington State").
void ApplyUsDescription(const std::string& description, BlockSpec& block) {
  const auto comma = description.rfind(", ");
  if (comma != std::string::npos && description.size() == comma + 4) {
    const std::string code = description.substr(comma + 2);
    if (IsUsStateCode(code)) {
      block.state = code;
      block.city = description.substr(0, comma);
      return;
    }
  }
  if (const auto code = UsStateCodeForName(description)) {
    block.state = std::string(*code);
    if (*code == "DC") block.city = "Washington";
  }
}

// Appends the US local blocks of area code `npa`, geocoded with `geocoder`.
void EnumerateUsLocal(int npa, const PhoneNumberOfflineGeocoder& geocoder,
                      std::vector<BlockSpec>& out) {
  const icu::Locale english("en", "US");
  for (int nxx = 200; nxx <= 999; ++nxx) {
    if (IsReservedExchange(nxx) || !IsUsBlockOfType(npa, nxx, NumberType::kLocal)) continue;
    BlockSpec block;
    block.region = "US";
    block.type = NumberType::kLocal;
    block.prefix = "1" + std::to_string(npa) + std::to_string(nxx);
    block.suffix_digits = 4;
    block.area_code = std::to_string(npa);
    ApplyUsDescription(geocoder.GetDescriptionForValidNumber(UsNumber(npa, nxx, 0), english, "US"),
                       block);
    out.push_back(std::move(block));
  }
}

// Gives blocks of an area code without a state of their own the state most of its other
// blocks have (the geocoder names only the country for some of them).
void FillMissingStates(std::vector<BlockSpec>& blocks) {
  std::map<std::string, std::map<std::string, int>> votes;
  for (const BlockSpec& b : blocks) {
    if (!b.state.empty()) ++votes[b.area_code][b.state];
  }
  for (BlockSpec& b : blocks) {
    if (!b.state.empty()) continue;
    const auto it = votes.find(b.area_code);
    if (it == votes.end()) continue;
    b.state = std::max_element(it->second.begin(), it->second.end(), [](auto& x, auto& y) {
                return x.second < y.second;
              })->first;
  }
}

std::string E164Digits(const PhoneNumber& n) {
  std::string s;
  Util().Format(n, PhoneNumberUtil::E164, &s);
  return s.substr(1);
}

bool ProbeBelongs(const std::string& digits, const std::string& region, NumberType want) {
  const PhoneNumberUtil& util = Util();
  PhoneNumber n;
  if (util.Parse("+" + digits, "ZZ", &n) != PhoneNumberUtil::NO_PARSING_ERROR) return false;
  if (!util.IsValidNumberForRegion(n, region) || ApiType(util.GetNumberType(n)) != want) {
    return false;
  }
  std::string home;
  util.GetRegionCodeForNumber(n, &home);
  return home == region;
}

std::string Padded(int value, int width) {
  std::string s = std::to_string(value);
  return std::string(static_cast<size_t>(width) - std::min<size_t>(s.size(), width), '0') + s;
}

// Blocks of `region` and `type` around libphonenumber's example number.
void EnumerateAroundExample(const std::string& region, NumberType type,
                            std::vector<BlockSpec>& out) {
  const PhoneNumberUtil& util = Util();
  PhoneNumber example;
  const auto lib_type =
      type == NumberType::kLocal ? PhoneNumberUtil::FIXED_LINE : PhoneNumberUtil::TOLL_FREE;
  if (!util.GetExampleNumberForType(region, lib_type, &example)) return;
  const std::string digits = E164Digits(example);
  const int cc_len = static_cast<int>(std::to_string(example.country_code()).size());
  const int nsn_len = static_cast<int>(digits.size()) - cc_len;
  const int suffix = nsn_len >= 4 ? 2 : 1;
  const int vary = std::clamp(nsn_len - suffix - 1, 0, 2);
  const std::string base = digits.substr(0, digits.size() - suffix - vary);
  int limit = 1;
  for (int i = 0; i < vary; ++i) limit *= 10;
  for (int v = 0; v < limit; ++v) {
    const std::string prefix = base + (vary > 0 ? Padded(v, vary) : "");
    const std::string zeros(suffix, '0');
    const std::string middle = "5" + std::string(suffix - 1, '0');
    const std::string nines(suffix, '9');
    if (!ProbeBelongs(prefix + zeros, region, type) ||
        !ProbeBelongs(prefix + middle, region, type) ||
        !ProbeBelongs(prefix + nines, region, type)) {
      continue;
    }
    BlockSpec block;
    block.region = region;
    block.type = type;
    block.prefix = prefix;
    block.suffix_digits = suffix;
    out.push_back(std::move(block));
  }
}

// Blocks travel from worker processes to the parent as records of \x1f-separated fields
// ended by \x1e (neither occurs in region codes, digits or geocoder names).
void WriteBlocks(std::FILE* out, int item, const std::vector<BlockSpec>& blocks) {
  for (const BlockSpec& b : blocks) {
    std::fprintf(out, "%d\x1f%s\x1f%d\x1f%s\x1f%d\x1f%s\x1f%s\x1f%s\x1e", item, b.region.c_str(),
                 static_cast<int>(b.type), b.prefix.c_str(), b.suffix_digits, b.area_code.c_str(),
                 b.state.c_str(), b.city.c_str());
  }
}

bool ReadBlocks(std::FILE* in, std::vector<std::vector<BlockSpec>>& out) {
  std::string record;
  for (int c; (c = std::fgetc(in)) != EOF;) {
    if (c != '\x1e') {
      record.push_back(static_cast<char>(c));
      continue;
    }
    std::vector<std::string> f;
    size_t start = 0;
    for (size_t sep; (sep = record.find('\x1f', start)) != std::string::npos; start = sep + 1) {
      f.push_back(record.substr(start, sep - start));
    }
    f.push_back(record.substr(start));
    record.clear();
    if (f.size() != 8) return false;
    const size_t item = std::stoul(f[0]);
    if (item >= out.size()) return false;
    BlockSpec b;
    b.region = f[1];
    b.type = static_cast<NumberType>(std::stoi(f[2]));
    b.prefix = f[3];
    b.suffix_digits = std::stoi(f[4]);
    b.area_code = f[5];
    b.state = f[6];
    b.city = f[7];
    out[item].push_back(std::move(b));
  }
  return record.empty();
}

// Runs job(i, blocks_of_i) for i in [0, count) and returns each item's blocks.
//
// The work is spread over `workers` processes, not threads: libphonenumber serializes its
// regular-expression cache behind one mutex, and two threads measured slower than one. The
// parent takes every workers-th item itself and reports progress by its own share.
template <typename Job>
std::vector<std::vector<BlockSpec>> ParallelMap(int count, unsigned workers, std::string_view stage,
                                                const ProgressFn& progress, Job job) {
  std::vector<std::vector<BlockSpec>> result(static_cast<size_t>(count));
  struct Child {
    pid_t pid;
    std::FILE* file;
  };
  std::vector<Child> children;
  std::fflush(nullptr);
  for (unsigned w = 1; w < workers; ++w) {
    std::FILE* file = std::tmpfile();
    if (!file) break;
    const pid_t pid = ::fork();
    if (pid < 0) {
      std::fclose(file);
      break;
    }
    if (pid == 0) {
      std::vector<BlockSpec> blocks;
      for (int i = static_cast<int>(w); i < count; i += static_cast<int>(workers)) {
        blocks.clear();
        job(i, blocks);
        WriteBlocks(file, i, blocks);
      }
      std::fflush(file);
      ::_exit(std::ferror(file) ? 1 : 0);
    }
    children.push_back({pid, file});
  }
  const unsigned stride = static_cast<unsigned>(children.size()) + 1;
  std::vector<bool> mine(static_cast<size_t>(count), false);
  for (int i = 0; i < count; ++i) mine[i] = i % stride == 0;
  int done = 0, reported = -1;
  const int own = (count + static_cast<int>(stride) - 1) / static_cast<int>(stride);
  for (int i = 0; i < count; ++i) {
    if (!mine[i]) continue;
    job(i, result[i]);
    const int tenth = ++done * 10 / std::max(own, 1);
    if (progress && tenth != reported && tenth < 10) {
      reported = tenth;
      progress(stage, static_cast<double>(done) / own);
    }
  }
  for (const Child& child : children) {
    int status = 0;
    while (::waitpid(child.pid, &status, 0) < 0 && errno == EINTR) {
    }
    std::rewind(child.file);
    const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 && ReadBlocks(child.file, result);
    std::fclose(child.file);
    if (!ok) std::abort();  // a worker of ours failed: an environment failure, not bad input
  }
  if (progress) progress(stage, 1.0);
  return result;
}

}  // namespace

std::string_view NumberTypeName(NumberType type) {
  return type == NumberType::kLocal ? "Local" : "TollFree";
}

std::optional<NumberType> ParseNumberType(std::string_view name) {
  if (name == "Local") return NumberType::kLocal;
  if (name == "TollFree") return NumberType::kTollFree;
  return std::nullopt;
}

const std::vector<std::string>& SupportedRegions() {
  static const std::vector<std::string> regions = [] {
    std::set<std::string> set;
    Util().GetSupportedRegions(&set);
    return std::vector<std::string>(set.begin(), set.end());
  }();
  return regions;
}

bool IsSupportedRegion(std::string_view region) {
  const auto& regions = SupportedRegions();
  return std::binary_search(regions.begin(), regions.end(), region);
}

const std::vector<std::string>& UsTollFreePrefixes() {
  static const std::vector<std::string> prefixes = {"800", "833", "844", "855",
                                                    "866", "877", "888"};
  return prefixes;
}

std::vector<BlockSpec> EnumerateBlocks(unsigned workers, const ProgressFn& progress) {
  const unsigned threads = workers ? workers : std::max(1u, std::thread::hardware_concurrency());
  constexpr int kFirstNpa = 200;
  constexpr int kNpaCount = 800;
  const PhoneNumberOfflineGeocoder geocoder;
  auto per_npa = ParallelMap(
      kNpaCount, threads, "US local blocks", progress,
      [&](int i, std::vector<BlockSpec>& out) { EnumerateUsLocal(kFirstNpa + i, geocoder, out); });
  std::vector<BlockSpec> blocks;
  for (auto& v : per_npa) std::move(v.begin(), v.end(), std::back_inserter(blocks));
  FillMissingStates(blocks);

  const auto& tfp = UsTollFreePrefixes();
  auto per_prefix = ParallelMap(static_cast<int>(tfp.size()), threads, "US toll-free blocks",
                                progress, [&](int i, std::vector<BlockSpec>& out) {
                                  const int npa = std::stoi(tfp[i]);
                                  for (int nxx = 200; nxx <= 999; ++nxx) {
                                    if (!IsUsBlockOfType(npa, nxx, NumberType::kTollFree)) continue;
                                    BlockSpec block;
                                    block.region = "US";
                                    block.type = NumberType::kTollFree;
                                    block.prefix = "1" + tfp[i] + std::to_string(nxx);
                                    block.suffix_digits = 4;
                                    out.push_back(std::move(block));
                                  }
                                });
  for (auto& v : per_prefix) std::move(v.begin(), v.end(), std::back_inserter(blocks));

  const auto& regions = SupportedRegions();
  auto per_region = ParallelMap(static_cast<int>(regions.size()), threads, "other regions' blocks",
                                progress, [&](int i, std::vector<BlockSpec>& out) {
                                  if (regions[i] == "US") return;
                                  EnumerateAroundExample(regions[i], NumberType::kLocal, out);
                                  EnumerateAroundExample(regions[i], NumberType::kTollFree, out);
                                });
  for (auto& v : per_region) std::move(v.begin(), v.end(), std::back_inserter(blocks));

  // Order by the first number of each block (length, then value), and keep the blocks disjoint:
  // a block overlapping the one before it is dropped (regions sharing a country code are kept
  // apart by the home-region check already; this makes it an invariant).
  // The first and last numbers of a block as (length, value), the API's order.
  struct Range {
    size_t length;
    uint64_t first, last;
    size_t index;
  };
  std::vector<Range> ranges;
  ranges.reserve(blocks.size());
  for (size_t i = 0; i < blocks.size(); ++i) {
    const BlockSpec& b = blocks[i];
    uint64_t first = std::stoull(b.prefix), span = 1;
    for (int d = 0; d < b.suffix_digits; ++d) {
      first *= 10;
      span *= 10;
    }
    ranges.push_back(
        {b.prefix.size() + static_cast<size_t>(b.suffix_digits), first, first + span - 1, i});
  }
  std::sort(ranges.begin(), ranges.end(), [](const Range& x, const Range& y) {
    return x.length != y.length ? x.length < y.length : x.first < y.first;
  });
  std::vector<BlockSpec> disjoint;
  disjoint.reserve(blocks.size());
  const Range* previous = nullptr;
  for (const Range& r : ranges) {
    if (previous && previous->length == r.length && r.first <= previous->last) continue;
    disjoint.push_back(std::move(blocks[r.index]));
    previous = &r;
  }
  blocks = std::move(disjoint);
  return blocks;
}

NumberFacts ClassifyNumber(const std::string& e164) {
  const PhoneNumberUtil& util = Util();
  NumberFacts facts;
  PhoneNumber n;
  if (util.Parse(e164, "ZZ", &n) != PhoneNumberUtil::NO_PARSING_ERROR) return facts;
  facts.valid = util.IsValidNumber(n);
  util.GetRegionCodeForNumber(n, &facts.region);
  facts.type = ApiType(util.GetNumberType(n));
  return facts;
}

}  // namespace numberpool::numbering
