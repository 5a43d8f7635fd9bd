#include "searchd/api/rate_limiter.hpp"

#include "searchd/api/errors.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

namespace gazette::searchd::api {

RateLimiter::RateLimiter(const RateLimitConfig& config, std::size_t max_clients)
    : enabled_(config.enabled && config.requests_per_s > 0), rate_(config.requests_per_s),
      burst_(std::max(1.0, config.burst)),
      per_shard_cap_(std::max<std::size_t>(1, max_clients / kShards)) {}

std::uint32_t RateLimiter::acquire(std::string_view client, Clock::time_point now) {
    if (!enabled_) {
        return 0;
    }
    Shard& shard = shards_[std::hash<std::string_view>{}(client) % kShards];
    std::lock_guard lock(shard.mutex);
    auto it = shard.buckets.find(std::string(client));
    if (it == shard.buckets.end()) {
        if (shard.buckets.size() >= per_shard_cap_) {
            evict_locked(shard, now);
        }
        it = shard.buckets.emplace(std::string(client), Bucket{burst_, now}).first;
    }
    Bucket& b = it->second;
    const double elapsed = std::chrono::duration<double>(now - b.last).count();
    if (elapsed > 0) {
        b.tokens = std::min(burst_, b.tokens + elapsed * rate_);
        b.last = now;
    }
    if (b.tokens >= 1.0) {
        b.tokens -= 1.0;
        return 0;
    }
    ++shard.refused;
    const double wait_s = (1.0 - b.tokens) / rate_;
    return static_cast<std::uint32_t>(std::max(1.0, std::ceil(wait_s)));
}

void RateLimiter::evict_locked(Shard& shard, Clock::time_point now) {
    // A bucket idle long enough to be full again is indistinguishable from a new one.
    const double refill_s = burst_ / rate_;
    std::erase_if(shard.buckets, [&](const auto& entry) {
        return std::chrono::duration<double>(now - entry.second.last).count() >= refill_s;
    });
    if (shard.buckets.size() < per_shard_cap_) {
        return;
    }
    // Still full: many distinct active clients. Keep the most recently seen half.
    std::vector<Clock::time_point> times;
    times.reserve(shard.buckets.size());
    for (const auto& entry : shard.buckets) {
        times.push_back(entry.second.last);
    }
    auto mid = times.begin() + static_cast<std::ptrdiff_t>(times.size() / 2);
    std::nth_element(times.begin(), mid, times.end());
    const Clock::time_point cutoff = *mid;
    std::erase_if(shard.buckets, [&](const auto& entry) { return entry.second.last <= cutoff; });
}

std::size_t RateLimiter::size() const {
    std::size_t n = 0;
    for (const Shard& s : shards_) {
        std::lock_guard lock(s.mutex);
        n += s.buckets.size();
    }
    return n;
}

std::uint64_t RateLimiter::refused() const {
    std::uint64_t n = 0;
    for (const Shard& s : shards_) {
        std::lock_guard lock(s.mutex);
        n += s.refused;
    }
    return n;
}

httpd::Response rate_limited_response(std::uint32_t retry_after_s, std::string_view request_id) {
    httpd::Response r = error_response(
        Error(ErrorCode::rate_limited,
              fmt::format("too many requests; retry in {} s", retry_after_s)),
        request_id);
    r.headers.emplace_back("Retry-After", std::to_string(retry_after_s));
    return r;
}

} // namespace gazette::searchd::api
