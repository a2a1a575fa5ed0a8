// numberpool/http/rate_limiter.h
//
// RateLimiter: token buckets keyed by a string (an access key id, a source address). A bucket
// starts full with `burst` tokens and refills at `rate` tokens a second. Memory is bounded:
// past `max_buckets`, buckets that have refilled completely (idle ones) are forgotten, and if
// none has, the new key is refused rather than tracked.
//
// Thread-safety: safe for concurrent use; keys are spread over independently locked shards.

#ifndef NUMBERPOOL_HTTP_RATE_LIMITER_H_
#define NUMBERPOOL_HTTP_RATE_LIMITER_H_

#include <array>
#include <cstdint>
#include <mutex>
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

  // Whether `key`'s bucket holds a token, without taking it (or tracking a new key).
  bool Has(std::string_view key, double rate, double burst, int64_t now_ns);

 private:
  static constexpr size_t kShards = 16;
  struct Bucket {
    double tokens;
    int64_t updated_ns;
  };
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, Bucket> buckets;
  };

  // The bucket for `key`, refilled to `now_ns`; nullptr if the shard is full of busy buckets.
  Bucket* Get(Shard& shard, std::string_view key, double rate, double burst, int64_t now_ns);

  size_t max_per_shard_;
  std::array<Shard, kShards> shards_;
};

}  // namespace numberpool::http

#endif  // NUMBERPOOL_HTTP_RATE_LIMITER_H_
