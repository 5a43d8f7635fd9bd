#include "indexer/serve/serve_metrics.hpp"

#include <fmt/format.h>

#include <chrono>
#include <tuple>

namespace gazette::indexer::serve {

namespace {

/// Escapes a label value (backslash, quote, newline) as the exposition format requires.
std::string label_value(const std::string& v) {
    std::string out;
    out.reserve(v.size());
    for (char c : v) {
        if (c == '\\' || c == '"') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

} // namespace

void Histogram::observe(double seconds) {
    std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < kBounds.size(); ++i) {
        if (seconds <= kBounds[i]) {
            ++buckets_[i];
        }
    }
    ++count_;
    sum_ += seconds;
}

void Histogram::render(std::string& out, const std::string& name, const std::string& labels) const {
    std::lock_guard lock(mutex_);
    const std::string sep = labels.empty() ? "" : ",";
    for (std::size_t i = 0; i < kBounds.size(); ++i) {
        out += fmt::format("{}_bucket{{{}{}le=\"{}\"}} {}\n", name, labels, sep, kBounds[i], buckets_[i]);
    }
    out += fmt::format("{}_bucket{{{}{}le=\"+Inf\"}} {}\n", name, labels, sep, count_);
    const std::string braces = labels.empty() ? "" : "{" + labels + "}";
    out += fmt::format("{}_sum{} {}\n", name, braces, sum_);
    out += fmt::format("{}_count{} {}\n", name, braces, count_);
}

void ServeMetrics::record_request(const std::string& endpoint, const std::string& method, unsigned status,
                                  double seconds) {
    Histogram* h = nullptr;
    {
        std::lock_guard lock(mutex_);
        ++requests_[std::make_tuple(endpoint, method, status)];
        h = &latency_[endpoint];
    }
    h->observe(seconds);
}

void ServeMetrics::add_ingested(std::uint64_t upserts, std::uint64_t deletes) {
    upserts_.fetch_add(upserts);
    deletes_.fetch_add(deletes);
}

void ServeMetrics::add_rejected(std::uint64_t n) { rejected_.fetch_add(n); }

void ServeMetrics::add_replayed(std::uint64_t n) { replayed_.fetch_add(n); }

void ServeMetrics::record_commit(double seconds) {
    commit_latency_.observe(seconds);
    commits_.fetch_add(1);
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    last_commit_unix_.store(std::chrono::duration<double>(now).count());
}

std::string ServeMetrics::render(const ServeGauges& g) const {
    std::string out;
    out.reserve(8192);
    out += "# HELP gazette_indexer_requests_total Admin API requests by endpoint, method and status.\n";
    out += "# TYPE gazette_indexer_requests_total counter\n";
    {
        std::lock_guard lock(mutex_);
        for (const auto& [key, n] : requests_) {
            const auto& [endpoint, method, status] = key;
            out += fmt::format("gazette_indexer_requests_total{{endpoint=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
                               label_value(endpoint), label_value(method), status, n);
        }
        out += "# HELP gazette_indexer_request_duration_seconds Admin API latency by endpoint.\n";
        out += "# TYPE gazette_indexer_request_duration_seconds histogram\n";
        for (const auto& [endpoint, h] : latency_) {
            h.render(out, "gazette_indexer_request_duration_seconds",
                     fmt::format("endpoint=\"{}\"", label_value(endpoint)));
        }
    }
    out += "# HELP gazette_indexer_ingest_queue_depth Records waiting for the writer.\n";
    out += "# TYPE gazette_indexer_ingest_queue_depth gauge\n";
    out += fmt::format("gazette_indexer_ingest_queue_depth {}\n", g.queue_depth);
    out += "# HELP gazette_indexer_articles_ingested_total Upserts made durable (acknowledged).\n";
    out += "# TYPE gazette_indexer_articles_ingested_total counter\n";
    out += fmt::format("gazette_indexer_articles_ingested_total {}\n", upserts_.load());
    out += "# HELP gazette_indexer_deletes_total Deletes made durable (acknowledged).\n";
    out += "# TYPE gazette_indexer_deletes_total counter\n";
    out += fmt::format("gazette_indexer_deletes_total {}\n", deletes_.load());
    out += "# HELP gazette_indexer_articles_rejected_total Articles rejected as invalid.\n";
    out += "# TYPE gazette_indexer_articles_rejected_total counter\n";
    out += fmt::format("gazette_indexer_articles_rejected_total {}\n", rejected_.load());
    out += "# HELP gazette_indexer_records_replayed_total Archive records replayed into the index.\n";
    out += "# TYPE gazette_indexer_records_replayed_total counter\n";
    out += fmt::format("gazette_indexer_records_replayed_total {}\n", replayed_.load());
    out += "# HELP gazette_indexer_commits_total Xapian commits of the live generation.\n";
    out += "# TYPE gazette_indexer_commits_total counter\n";
    out += fmt::format("gazette_indexer_commits_total {}\n", commits_.load());
    out += "# HELP gazette_indexer_commit_duration_seconds Xapian commit latency.\n";
    out += "# TYPE gazette_indexer_commit_duration_seconds histogram\n";
    commit_latency_.render(out, "gazette_indexer_commit_duration_seconds", "");
    out += "# HELP gazette_indexer_last_commit_timestamp_seconds Unix time of the last commit.\n";
    out += "# TYPE gazette_indexer_last_commit_timestamp_seconds gauge\n";
    out += fmt::format("gazette_indexer_last_commit_timestamp_seconds {:.3f}\n", last_commit_unix_.load());
    out += "# HELP gazette_indexer_live_generation The live generation (value 1, name in the label).\n";
    out += "# TYPE gazette_indexer_live_generation gauge\n";
    if (!g.live_generation.empty()) {
        out += fmt::format("gazette_indexer_live_generation{{generation=\"{}\"}} 1\n", label_value(g.live_generation));
    }
    out += "# HELP gazette_indexer_documents Documents in the live generation at the last commit.\n";
    out += "# TYPE gazette_indexer_documents gauge\n";
    out += fmt::format("gazette_indexer_documents {}\n", g.documents);
    out += "# HELP gazette_indexer_committed_archive_seq Archive sequence number committed to the index.\n";
    out += "# TYPE gazette_indexer_committed_archive_seq gauge\n";
    out += fmt::format("gazette_indexer_committed_archive_seq {}\n", g.committed_seq);
    out += "# HELP gazette_indexer_ready 1 once crash recovery is done and the writer runs.\n";
    out += "# TYPE gazette_indexer_ready gauge\n";
    out += fmt::format("gazette_indexer_ready {}\n", g.ready ? 1 : 0);
    out += "# HELP gazette_indexer_job_processed Items processed by a job.\n";
    out += "# TYPE gazette_indexer_job_processed gauge\n";
    for (const auto& j : g.jobs) {
        out += fmt::format("gazette_indexer_job_processed{{id=\"{}\",kind=\"{}\",state=\"{}\"}} {}\n", label_value(j.id),
                           label_value(j.kind), j.state, j.processed);
    }
    out += "# HELP gazette_indexer_job_total Items a job has to process (0 when unknown).\n";
    out += "# TYPE gazette_indexer_job_total gauge\n";
    for (const auto& j : g.jobs) {
        out += fmt::format("gazette_indexer_job_total{{id=\"{}\",kind=\"{}\",state=\"{}\"}} {}\n", label_value(j.id),
                           label_value(j.kind), j.state, j.total);
    }
    return out;
}

} // namespace gazette::indexer::serve
