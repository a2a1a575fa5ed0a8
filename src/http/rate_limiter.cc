#include "http/rate_limiter.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace numberpool::http {
namespace {

void Refill(double& tokens, int64_t& updated_ns, double rate, double burst, int64_t now_ns) {
  if (now_ns > updated_ns) {
    tokens = std::min(burst, tokens + rate * static_cast<double>(now_ns - updated_ns) / 1e9);
    updated_ns = now_ns;
  }
}

}  // namespace

RateLimiter::Bucket* RateLimiter::Get(Shard& shard, std::string_view key, double rate, double burst,
                                      int64_t now_ns) {
  auto it = shard.buckets.find(std::string(key));
  if (it == shard.buckets.end()) {
    if (shard.buckets.size() >= max_per_shard_) {
      // Forget the buckets that are full again: they hold no state worth keeping.
      for (auto i = shard.buckets.begin(); i != shard.buckets.end();) {
        Bucket& b = i->second;
        Refill(b.tokens, b.updated_ns, rate, burst, now_ns);
        i = b.tokens >= burst ? shard.buckets.erase(i) : std::next(i);
      }
      if (shard.buckets.size() >= max_per_shard_) return nullptr;
    }
    it = shard.buckets.emplace(std::string(key), Bucket{burst, now_ns}).first;
  }
  Refill(it->second.tokens, it->second.updated_ns, rate, burst, now_ns);
  return &it->second;
}

int64_t RateLimiter::Take(std::string_view key, double rate, double burst, int64_t now_ns) {
  Shard& shard = shards_[std::hash<std::string_view>{}(key) % kShards];
  std::lock_guard<std::mutex> lock(shard.mu);
  Bucket* b = Get(shard, key, rate, burst, now_ns);
  if (!b) return 1;
  if (b->tokens >= 1) {
    b->tokens -= 1;
    return 0;
  }
  return std::max<int64_t>(1, static_cast<int64_t>(std::ceil((1 - b->tokens) / rate)));
}

bool RateLimiter::Has(std::string_view key, double rate, double burst, int64_t now_ns) {
  Shard& shard = shards_[std::hash<std::string_view>{}(key) % kShards];
  std::lock_guard<std::mutex> lock(shard.mu);
  const auto it = shard.buckets.find(std::string(key));
  if (it == shard.buckets.end()) return true;  // an untracked bucket is full
  Refill(it->second.tokens, it->second.updated_ns, rate, burst, now_ns);
  return it->second.tokens >= 1;
}

}  // namespace numberpool::http
