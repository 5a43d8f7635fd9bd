#pragma once
/// Token-bucket rate limiting per client (an API key's name or a client IP).
///
/// Each client has a bucket of `burst` tokens refilled at `requests_per_s`; a request takes
/// one token or is refused with the whole seconds until one is available (>= 1, for
/// `Retry-After`). Buckets live in hash maps split into shards, each with its own mutex, so
/// I/O threads rarely contend. Memory is bounded: a shard that reaches its share of
/// `max_clients` first drops buckets that have refilled completely (forgetting them changes
/// nothing), then, if still full (a flood of distinct clients), the least recently used half.
///
/// Thread-safety: all methods may be called from any thread.

#include "common/config.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace gazette::searchd::api {

class RateLimiter {
public:
    using Clock = std::chrono::steady_clock;

    /// `config.enabled == false` lets every request through. `max_clients` bounds the buckets
    /// kept in memory (at least one per shard).
    explicit RateLimiter(const RateLimitConfig& config, std::size_t max_clients = 65536);

    /// Takes a token for `client` at time `now`. Returns 0 when the request may proceed, else
    /// the seconds (>= 1) after which a retry will succeed.
    [[nodiscard]] std::uint32_t acquire(std::string_view client, Clock::time_point now = Clock::now());

    /// Buckets currently held (for tests and metrics).
    std::size_t size() const;
    /// Requests refused so far.
    std::uint64_t refused() const;

    bool enabled() const noexcept { return enabled_; }

private:
    struct Bucket {
        double tokens = 0;
        Clock::time_point last{};
    };
    static constexpr std::size_t kShards = 16;
    struct Shard {
        mutable std::mutex mutex;
        std::unordered_map<std::string, Bucket> buckets;
        std::uint64_t refused = 0;
    };

    /// Drops buckets from a full shard (mutex held by the caller).
    void evict_locked(Shard& shard, Clock::time_point now);

    bool enabled_;
    double rate_;
    double burst_;
    std::size_t per_shard_cap_;
    std::array<Shard, kShards> shards_;
};

} // namespace gazette::searchd::api

#include "httpd/server.hpp"

namespace gazette::searchd::api {

/// The 429 response: JSON error `rate_limited` with `Retry-After: retry_after_s`.
httpd::Response rate_limited_response(std::uint32_t retry_after_s, std::string_view request_id);

} // namespace gazette::searchd::api
