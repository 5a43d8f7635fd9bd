#pragma once
/// Prometheus metrics of the `serve` daemon: request counts and latency by endpoint, ingest
/// and commit figures, plus gauges read at scrape time (queue depth, live generation, jobs).
///
/// Thread-safety: every member may be called from any thread.

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace gazette::indexer::serve {

/// A fixed-bucket histogram in seconds (Prometheus `_bucket`, `_sum`, `_count`).
class Histogram {
public:
    static constexpr std::array<double, 12> kBounds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                       0.05,   0.1,   0.25,   0.5,   1.0,   2.5};
    void observe(double seconds);
    /// Appends the sample lines of `name` with extra `labels` ("endpoint=\"/x\"" or empty).
    void render(std::string& out, const std::string& name, const std::string& labels) const;

private:
    mutable std::mutex mutex_;
    std::array<std::uint64_t, kBounds.size()> buckets_{};
    std::uint64_t count_ = 0;
    double sum_ = 0;
};

/// Values read at scrape time from the writer and the job manager.
struct ServeGauges {
    std::size_t queue_depth = 0;      ///< records waiting for the writer
    std::string live_generation;      ///< "g000003" or empty
    std::uint64_t documents = 0;      ///< documents in the live generation (last commit)
    std::uint64_t committed_seq = 0;  ///< archive sequence committed to the index
    bool ready = false;
    struct Job {
        std::string id, kind, state;
        std::uint64_t processed = 0, total = 0, errors = 0;
    };
    std::vector<Job> jobs;
};

class ServeMetrics {
public:
    /// One finished request. `endpoint` is a route pattern ("/articles/{id}"), never a raw path,
    /// so the label set stays bounded.
    void record_request(const std::string& endpoint, const std::string& method, unsigned status,
                        double seconds);
    void add_ingested(std::uint64_t upserts, std::uint64_t deletes);
    void add_rejected(std::uint64_t n);
    void record_commit(double seconds);
    void add_replayed(std::uint64_t n);

    /// The Prometheus text exposition (version 0.0.4).
    std::string render(const ServeGauges& gauges) const;

private:
    mutable std::mutex mutex_;
    std::map<std::tuple<std::string, std::string, unsigned>, std::uint64_t> requests_;
    std::map<std::string, Histogram> latency_; ///< by endpoint; node-based, so stable addresses
    Histogram commit_latency_;
    std::atomic<std::uint64_t> upserts_{0};
    std::atomic<std::uint64_t> deletes_{0};
    std::atomic<std::uint64_t> rejected_{0};
    std::atomic<std::uint64_t> replayed_{0};
    std::atomic<std::uint64_t> commits_{0};
    std::atomic<double> last_commit_unix_{0};
};

} // namespace gazette::indexer::serve
