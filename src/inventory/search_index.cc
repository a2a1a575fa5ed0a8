#include "inventory/search_index.h"

#include <algorithm>

#include "numbering/us_states.h"

namespace numberpool::inventory {
namespace {

std::string RegionTypeKey(std::string_view region, numbering::NumberType type) {
  std::string key(region);
  key.push_back('|');
  key.append(numbering::NumberTypeName(type));
  return key;
}

std::string CityKey(std::string_view state, std::string_view normalized_city) {
  std::string key(state);
  key.push_back('|');
  key.append(normalized_city);
  return key;
}

Error Corrupt(std::string message) { return Error(ErrorKind::kCorrupt, std::move(message)); }

// Parses a three-digit area code; 0 if it is not one.
uint16_t AreaCodeValue(std::string_view s) {
  if (s.size() != 3) return 0;
  uint16_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return 0;
    v = static_cast<uint16_t>(v * 10 + (c - '0'));
  }
  return v >= 200 ? v : 0;
}

}  // namespace

std::vector<std::string> NumbersOf(const std::vector<std::string_view>& runs) {
  std::vector<std::string> numbers;
  for (std::string_view run : runs) {
    for (size_t pos = 0; pos < run.size();) {
      const size_t close = run.find('"', pos + 1);
      numbers.emplace_back(run.substr(pos + 1, close - pos - 1));
      pos = close + 2;  // past the quote and the comma
    }
  }
  return numbers;
}

std::string NormalizeCityName(std::string_view city) {
  std::string out;
  out.reserve(city.size());
  bool pending_space = false;
  for (char c : city) {
    if (c == ' ') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

std::string SearchFilter::Fingerprint() const {
  // Unit separators cannot occur in validated values, so distinct filters never collide.
  std::string fp = country;
  for (std::string_view part :
       {numbering::NumberTypeName(type), std::string_view(area_code), std::string_view(state),
        std::string_view(city), std::string_view(toll_free_prefix)}) {
    fp.push_back('\x1f');
    fp.append(part);
  }
  return fp;
}

Result<std::unique_ptr<SearchIndex>> SearchIndex::Build(const Inventory& inventory) {
  std::unique_ptr<SearchIndex> index(new SearchIndex());
  index->blocks_.reserve(inventory.blocks.size());
  NumberKey previous_last = 0;
  for (size_t i = 0; i < inventory.blocks.size(); ++i) {
    const numbering::BlockSpec& spec = inventory.blocks[i];
    if (spec.suffix_digits < 1 || spec.suffix_digits > 4 ||
        !KeyFromDigits(spec.prefix + std::string(spec.suffix_digits, '0'))) {
      return Corrupt("block " + std::to_string(i) + " has a malformed prefix '" + spec.prefix +
                     "'");
    }
    Block b{BlockFirstKey(spec), BlockLastKey(spec), 0, 0, 0, 0, 0};
    if (b.first_key <= previous_last) {
      return Corrupt("block +" + spec.prefix + " is out of order or overlaps the block before it");
    }
    previous_last = b.last_key;
    if (spec.region == "US" && spec.type == numbering::NumberType::kLocal) {
      b.area_code = AreaCodeValue(spec.area_code);
      if (b.area_code == 0) return Corrupt("US local block +" + spec.prefix + " has no area code");
      if (!spec.state.empty()) {
        if (!numbering::IsUsStateCode(spec.state)) {
          return Corrupt("block +" + spec.prefix + " has an unknown state '" + spec.state + "'");
        }
        auto it = std::find(index->states_.begin(), index->states_.end(), spec.state);
        if (it == index->states_.end()) it = index->states_.insert(it, spec.state);
        b.state = static_cast<uint8_t>(it - index->states_.begin() + 1);
        if (!spec.city.empty()) {
          const auto [pos, added] =
              index->city_ids_.emplace(CityKey(spec.state, NormalizeCityName(spec.city)),
                                       static_cast<uint32_t>(index->city_ids_.size() + 1));
          b.city = pos->second;
        }
      }
    }
    index->blocks_.push_back(b);
  }

  index->numbers_.reserve(inventory.numbers.size());
  index->item_offsets_.reserve(inventory.numbers.size() + 1);
  if (inventory.numbers.size() * 19 >= UINT32_MAX) return Corrupt("too many numbers for one index");
  NumberKey previous = 0;
  uint32_t current_block = 0;
  for (const InventoryNumber& n : inventory.numbers) {
    if (n.key <= previous)
      return Corrupt("numbers are not sorted and unique at " + E164FromKey(n.key));
    previous = n.key;
    if (n.block >= index->blocks_.size() || n.block < current_block) {
      return Corrupt("number " + E164FromKey(n.key) + " refers to a wrong block");
    }
    Block& b = index->blocks_[n.block];
    if (n.key < b.first_key || n.key > b.last_key) {
      return Corrupt("number " + E164FromKey(n.key) + " lies outside its block +" +
                     inventory.blocks[n.block].prefix);
    }
    current_block = n.block;
    if (!n.available) continue;
    // A block's numbers are contiguous (sorted numbers, sorted disjoint blocks); blocks with no
    // available number keep the empty range [0, 0) and are never listed.
    if (b.begin == b.end) b.begin = b.end = static_cast<uint32_t>(index->numbers_.size());
    index->numbers_.push_back(n.key);
    index->item_offsets_.push_back(static_cast<uint32_t>(index->items_.size()));
    index->items_.push_back('"');
    AppendE164(index->items_, n.key);
    index->items_.append("\",");
    ++b.end;
  }

  index->item_offsets_.push_back(static_cast<uint32_t>(index->items_.size()));
  index->items_.shrink_to_fit();

  index->by_state_.resize(index->states_.size());
  index->by_city_.resize(index->city_ids_.size());
  for (uint32_t i = 0; i < index->blocks_.size(); ++i) {
    const Block& b = index->blocks_[i];
    if (b.begin == b.end) continue;
    const numbering::BlockSpec& spec = inventory.blocks[i];
    index->by_region_type_[RegionTypeKey(spec.region, spec.type)].push_back(i);
    if (spec.region != "US") continue;
    if (spec.type == numbering::NumberType::kTollFree) {
      index->by_toll_free_prefix_[spec.prefix.substr(1, 3)].push_back(i);
      continue;
    }
    index->by_area_code_[b.area_code].push_back(i);
    if (b.state) index->by_state_[b.state - 1].push_back(i);
    if (b.city) index->by_city_[b.city - 1].push_back(i);
  }
  return index;
}

std::optional<SearchIndex::Plan> SearchIndex::Resolve(const SearchFilter& f) const {
  const auto find = [](const auto& map, const std::string& key) -> std::optional<Plan> {
    const auto it = map.find(key);
    if (it == map.end()) return std::nullopt;
    Plan plan;
    plan.list = &it->second;
    return plan;
  };
  if (f.country != "US") return find(by_region_type_, RegionTypeKey(f.country, f.type));
  if (f.type == numbering::NumberType::kTollFree) {
    if (!f.toll_free_prefix.empty()) return find(by_toll_free_prefix_, f.toll_free_prefix);
    return find(by_region_type_, RegionTypeKey(f.country, f.type));
  }
  if (!f.toll_free_prefix.empty()) return std::nullopt;  // no local number has one
  Plan plan;
  // Walk the shortest list; the other filters are checked per block.
  const auto consider = [&plan](const std::vector<uint32_t>* list) {
    if (!plan.list || list->size() < plan.list->size()) plan.list = list;
  };
  if (!f.city.empty()) {
    const auto it = city_ids_.find(CityKey(f.state, f.city));
    if (it == city_ids_.end()) return std::nullopt;
    plan.city = it->second;
    consider(&by_city_[plan.city - 1]);
  }
  if (!f.area_code.empty()) {
    plan.area_code = AreaCodeValue(f.area_code);
    if (plan.area_code == 0) return std::nullopt;
    consider(&by_area_code_[plan.area_code]);
  }
  if (!f.state.empty()) {
    const auto it = std::find(states_.begin(), states_.end(), f.state);
    if (it == states_.end()) return std::nullopt;
    plan.state = static_cast<uint8_t>(it - states_.begin() + 1);
    consider(&by_state_[plan.state - 1]);
  }
  if (!plan.list) return find(by_region_type_, RegionTypeKey(f.country, f.type));
  return plan;
}

SearchPage SearchIndex::Search(const SearchFilter& filter, NumberKey after, size_t limit) const {
  SearchPage page;
  const std::optional<Plan> plan = Resolve(filter);
  if (!plan || limit == 0) return page;
  const std::vector<uint32_t>* list = plan->list;
  auto it = std::partition_point(list->begin(), list->end(),
                                 [&](uint32_t b) { return blocks_[b].last_key <= after; });
  for (; it != list->end() && !page.more; ++it) {
    const Block& b = blocks_[*it];
    if ((plan->area_code && b.area_code != plan->area_code) ||
        (plan->state && b.state != plan->state) || (plan->city && b.city != plan->city)) {
      continue;
    }
    auto first = numbers_.begin() + b.begin;
    const auto end = numbers_.begin() + b.end;
    if (b.first_key <= after) first = std::upper_bound(first, end, after);
    if (first == end) continue;
    if (page.count == limit) {
      page.more = true;
      break;
    }
    const size_t take = std::min<size_t>(static_cast<size_t>(end - first), limit - page.count);
    const size_t from = static_cast<size_t>(first - numbers_.begin());
    page.runs.emplace_back(items_.data() + item_offsets_[from],
                           item_offsets_[from + take] - item_offsets_[from]);
    page.count += take;
    page.last = numbers_[from + take - 1];
    page.more = take < static_cast<size_t>(end - first);
  }
  return page;
}

}  // namespace numberpool::inventory
