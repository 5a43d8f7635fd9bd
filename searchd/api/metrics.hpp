#pragma once
/// Request counters and latency histograms for GET /metrics (Prometheus text format 0.0.4).
/// Thread-safety: record() and render() may be called from any thread.

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace gazette::searchd::api {

/// Gauges sampled at render time.
struct MetricsGauges {
    std::uint64_t queue_depth = 0;
    std::uint64_t queue_capacity = 0;
    std::uint64_t busy_workers = 0;
    std::uint64_t docs = 0;
    std::uint64_t generation = 0; ///< number of the live generation, 0 when none
    bool ready = false;
    std::uint64_t open_connections = 0;
    std::uint64_t cache_hits = 0;
    std::uint64_t sliced_matches = 0;
    std::uint64_t cache_misses = 0;
    std::uint64_t cache_entries = 0;
    std::uint64_t rate_limited = 0;     ///< requests refused with 429
    std::uint64_t rate_limit_clients = 0; ///< token buckets held
};

class Metrics {
public:
    /// Endpoint label of a request path ("/search", "/articles", "static", "other").
    static std::string endpoint_of(std::string_view target);

    void record(std::string_view endpoint, unsigned status, double latency_ms);
    std::string render(const MetricsGauges& gauges) const;

private:
    static constexpr std::array<double, 12> kBucketsMs = {1,   2.5, 5,    10,   25,   50,
                                                          100, 250, 500,  1000, 2500, 10000};
    struct Histogram {
        std::array<std::uint64_t, kBucketsMs.size()> buckets{};
        std::uint64_t count = 0;
        double sum_ms = 0;
    };
    mutable std::mutex mutex_;
    std::map<std::pair<std::string, unsigned>, std::uint64_t> requests_;
    std::map<std::string, Histogram> latency_;
};

} // namespace gazette::searchd::api
