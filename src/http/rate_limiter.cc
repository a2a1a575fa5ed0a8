#include "http/rate_limiter.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <mutex>

namespace numberpool::http {
namespace {

struct Gcra {
  int64_t interval_ns;  // time one token takes to refill
  int64_t capacity_ns;  // burst * interval: how far ahead of now the arrival time may run

  Gcra(double rate, double burst)
      : interval_ns(static_cast<int64_t>(1e9 / rate)),
        capacity_ns(static_cast<int64_t>(burst * 1e9 / rate)) {}
};

}  // namespace

RateLimiter::Shard& RateLimiter::ShardOf(std::string_view key) {
  return shards_[std::hash<std::string_view>{}(key) % kShards];
}

int64_t RateLimiter::Take(std::string_view key, double rate, double burst, int64_t now_ns) {
  const Gcra g(rate, burst);
  Shard& shard = ShardOf(key);
  const std::string_view k = key;
  std::shared_lock<std::shared_mutex> read(shard.mu);
  auto it = shard.buckets.find(k);
  if (it == shard.buckets.end()) {
    read.unlock();
    std::unique_lock<std::shared_mutex> write(shard.mu);
    it = shard.buckets.find(k);
    if (it == shard.buckets.end()) {
      if (shard.buckets.size() >= max_per_shard_) {
        // Forget the buckets that are full again: they hold no state worth keeping.
        for (auto i = shard.buckets.begin(); i != shard.buckets.end();) {
          if (i->second->tat_ns.load() <= now_ns) {
            i = shard.buckets.erase(i);
            tracked_.fetch_sub(1);
          } else {
            ++i;
          }
        }
        if (shard.buckets.size() >= max_per_shard_) return 1;
      }
      it = shard.buckets.emplace(std::string(k), std::make_unique<Bucket>()).first;
      it->second->tat_ns.store(now_ns);
      tracked_.fetch_add(1);
    }
    write.unlock();
    read.lock();
    it = shard.buckets.find(k);
    if (it == shard.buckets.end()) return 1;  // evicted in between: treat as busy
  }
  std::atomic<int64_t>& tat = it->second->tat_ns;
  int64_t current = tat.load(std::memory_order_relaxed);
  for (;;) {
    const int64_t next = std::max(current, now_ns) + g.interval_ns;
    if (next - now_ns > g.capacity_ns) {
      const double wait_ns = static_cast<double>(next - now_ns - g.capacity_ns);
      return std::max<int64_t>(1, static_cast<int64_t>(std::ceil(wait_ns / 1e9)));
    }
    if (tat.compare_exchange_weak(current, next, std::memory_order_relaxed)) return 0;
  }
}

bool RateLimiter::Has(std::string_view key, double rate, double burst, int64_t now_ns) {
  if (tracked_.load(std::memory_order_relaxed) == 0) return true;
  const Gcra g(rate, burst);
  Shard& shard = ShardOf(key);
  std::shared_lock<std::shared_mutex> read(shard.mu);
  const auto it = shard.buckets.find(key);
  if (it == shard.buckets.end()) return true;  // an untracked bucket is full
  const int64_t tat = it->second->tat_ns.load(std::memory_order_relaxed);
  return std::max(tat, now_ns) + g.interval_ns - now_ns <= g.capacity_ns;
}

}  // namespace numberpool::http
