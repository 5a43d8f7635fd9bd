#include "searchd/api/metrics.hpp"

#include <fmt/format.h>

namespace gazette::searchd::api {

std::string Metrics::endpoint_of(std::string_view target) {
    const auto q = target.find('?');
    const std::string_view path = target.substr(0, q);
    for (const std::string_view known : {"/search", "/stats", "/topics", "/healthz", "/readyz",
                                         "/metrics", "/suggest", "/trends", "/export"}) {
        if (path == known) {
            return std::string(known);
        }
    }
    if (path.rfind("/articles/", 0) == 0) {
        return "/articles";
    }
    if (path == "/" || path.find('.') != std::string_view::npos) {
        return "static";
    }
    return "other";
}

void Metrics::record(std::string_view endpoint, unsigned status, double latency_ms) {
    std::lock_guard lock(mutex_);
    ++requests_[{std::string(endpoint), status}];
    Histogram& h = latency_[std::string(endpoint)];
    ++h.count;
    h.sum_ms += latency_ms;
    for (std::size_t i = 0; i < kBucketsMs.size(); ++i) {
        if (latency_ms <= kBucketsMs[i]) {
            ++h.buckets[i];
        }
    }
}

std::string Metrics::render(const MetricsGauges& g) const {
    std::string out;
    out += "# HELP gazette_searchd_requests_total HTTP requests by endpoint and status.\n";
    out += "# TYPE gazette_searchd_requests_total counter\n";
    std::lock_guard lock(mutex_);
    for (const auto& [key, n] : requests_) {
        out += fmt::format("gazette_searchd_requests_total{{endpoint=\"{}\",status=\"{}\"}} {}\n",
                           key.first, key.second, n);
    }
    out += "# HELP gazette_searchd_request_duration_seconds Request latency by endpoint.\n";
    out += "# TYPE gazette_searchd_request_duration_seconds histogram\n";
    for (const auto& [endpoint, h] : latency_) {
        for (std::size_t i = 0; i < kBucketsMs.size(); ++i) {
            out += fmt::format(
                "gazette_searchd_request_duration_seconds_bucket{{endpoint=\"{}\",le=\"{}\"}} {}\n",
                endpoint, kBucketsMs[i] / 1000.0, h.buckets[i]);
        }
        out += fmt::format(
            "gazette_searchd_request_duration_seconds_bucket{{endpoint=\"{}\",le=\"+Inf\"}} {}\n",
            endpoint, h.count);
        out += fmt::format("gazette_searchd_request_duration_seconds_sum{{endpoint=\"{}\"}} {}\n",
                           endpoint, h.sum_ms / 1000.0);
        out += fmt::format("gazette_searchd_request_duration_seconds_count{{endpoint=\"{}\"}} {}\n",
                           endpoint, h.count);
    }
    auto gauge = [&out](std::string_view name, std::string_view help, std::uint64_t v) {
        out += fmt::format("# HELP {} {}\n# TYPE {} gauge\n{} {}\n", name, help, name, name, v);
    };
    gauge("gazette_searchd_queue_depth", "Searches waiting for a worker.", g.queue_depth);
    gauge("gazette_searchd_queue_capacity", "Search queue capacity.", g.queue_capacity);
    gauge("gazette_searchd_busy_workers", "Search workers running a task.", g.busy_workers);
    gauge("gazette_searchd_documents", "Documents in the live generation.", g.docs);
    gauge("gazette_searchd_generation", "Number of the live generation (0 = none).", g.generation);
    gauge("gazette_searchd_ready", "1 when a live generation is open.", g.ready ? 1 : 0);
    gauge("gazette_searchd_open_connections", "Open HTTP connections.", g.open_connections);
    out += fmt::format("# HELP gazette_searchd_cache_hits_total Searches answered from the result cache.\n"
                       "# TYPE gazette_searchd_cache_hits_total counter\ngazette_searchd_cache_hits_total {}\n",
                       g.cache_hits);
    out += fmt::format("# HELP gazette_searchd_cache_misses_total Searches not found in the result cache.\n"
                       "# TYPE gazette_searchd_cache_misses_total counter\ngazette_searchd_cache_misses_total {}\n",
                       g.cache_misses);
    const std::uint64_t lookups = g.cache_hits + g.cache_misses;
    out += fmt::format("# HELP gazette_searchd_cache_hit_ratio Result cache hits / lookups since start.\n"
                       "# TYPE gazette_searchd_cache_hit_ratio gauge\ngazette_searchd_cache_hit_ratio {}\n",
                       lookups == 0 ? 0.0 : static_cast<double>(g.cache_hits) / static_cast<double>(lookups));
    gauge("gazette_searchd_cache_entries", "Entries in the result cache.", g.cache_entries);
    out += fmt::format("# HELP gazette_searchd_sliced_matches_total Relevance matches split over two cores.\n"
                       "# TYPE gazette_searchd_sliced_matches_total counter\ngazette_searchd_sliced_matches_total {}\n",
                       g.sliced_matches);
    out += fmt::format("# HELP gazette_searchd_rate_limited_total Requests refused with 429.\n"
                       "# TYPE gazette_searchd_rate_limited_total counter\ngazette_searchd_rate_limited_total {}\n",
                       g.rate_limited);
    gauge("gazette_searchd_rate_limit_clients", "Clients with a rate-limit bucket in memory.",
          g.rate_limit_clients);
    return out;
}

} // namespace gazette::searchd::api
