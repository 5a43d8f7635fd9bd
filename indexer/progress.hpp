#pragma once
/// Progress reporting for long jobs: a redrawn bar (count, rate, ETA) on a terminal, plain
/// lines every few seconds otherwise (logs, CI). Also readable as a snapshot by the job API.
///
/// Thread-safety: advance() and snapshot() may be called from any thread.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>

namespace gazette::indexer {

struct ProgressSnapshot {
    std::uint64_t processed = 0;
    std::uint64_t total = 0; ///< 0 when unknown
    std::uint64_t errors = 0;
    double elapsed_s = 0;
    double rate = 0;  ///< items per second
    double eta_s = -1; ///< -1 when unknown
};

class Progress {
public:
    /// `out` may be null for silent progress (job API only).
    Progress(std::string label, std::uint64_t total, std::FILE* out);
    void set_total(std::uint64_t total);
    void advance(std::uint64_t n = 1, std::uint64_t errors = 0);
    /// Prints the final line (and ends the bar on a terminal).
    void finish();
    ProgressSnapshot snapshot() const;

private:
    void render(bool final);

    std::string label_;
    std::atomic<std::uint64_t> total_;
    std::atomic<std::uint64_t> processed_{0};
    std::atomic<std::uint64_t> errors_{0};
    std::FILE* out_;
    bool tty_;
    std::chrono::steady_clock::time_point start_;
    std::mutex render_mutex_;
    std::chrono::steady_clock::time_point last_render_;
};

} // namespace gazette::indexer
