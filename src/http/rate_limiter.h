// numberpool/http/rate_limiter.h
//
// RateLimiter: token buckets keyed by a string (an access key id, a source address). A bucket
// starts full with `burst` tokens and refills at `rate` tokens a second. Each bucket is one
// atomic "theoretical arrival time" (the GCRA form of a token bucket), so that requests of
// one key on several threads never wait on a lock; shards of the key map are read-locked for
// lookups and write-locked only to add a key.
//
// Memory is bounded: past `max_buckets`, buckets that have refilled completely (idle ones)
// are forgotten, and if none has, the new key is refused rather than tracked.
//
// Thread-safety: safe for concurrent use.

#ifndef NUMBERPOOL_HTTP_RATE_LIMITER_H_
#define NUMBERPOOL_HTTP_RATE_LIMITER_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace numberpool::http {

class RateLimiter final {
 public:
  explicit RateLimiter(size_t max_buckets = 1 << 16) : max_per_shard_(max_buckets / kShards + 1) {}

  // Takes a token from `key`'s bucket. Returns 0 if one was available, otherwise the whole
  // seconds (at least 1) until one will be. `now_ns` is a monotonic time.
  int64_t Take(std::string_view key, double rate, double burst, int64_t now_ns);

  // Whether `key`'s bucket holds a token, without taking it (or tracking a new key). Costs one
  // atomic load while no key is tracked at all.
  bool Has(std::string_view key, double rate, double burst, int64_t now_ns);

 private:
  static constexpr size_t kShards = 16;
  struct Bucket {
    std::atomic<int64_t> tat_ns;  // when the bucket will be full again
  };
  // Lookups by string_view, so that finding a key copies nothing.
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct Shard {
    std::shared_mutex mu;
    std::unordered_map<std::string, std::unique_ptr<Bucket>, Hash, std::equal_to<>> buckets;
  };

  Shard& ShardOf(std::string_view key);

  size_t max_per_shard_;
  std::atomic<size_t> tracked_{0};
  std::array<Shard, kShards> shards_;
};

}  // namespace numberpool::http

#endif  // NUMBERPOOL_HTTP_RATE_LIMITER_H_
