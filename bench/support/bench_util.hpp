#pragma once
/// Helpers shared by the benchmark programs: child processes measured with wait4, latency
/// percentiles, machine description, JSONL line reading and small text utilities.
///
/// Benchmarks are tools, not the product: failures of the environment (missing binary, bad
/// corpus path) throw std::runtime_error with a message, and main() prints it.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace gazette::bench {

using Clock = std::chrono::steady_clock;

/// Seconds elapsed since `t0`.
inline double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

/// What a finished child process cost, from wait4's rusage.
struct ProcessStats {
    double wall_s = 0;
    double user_s = 0;
    double sys_s = 0;
    long max_rss_kb = 0; ///< peak resident set of the child
    int exit_code = -1;  ///< -1 when killed by a signal
};

/// A started child process (fork + execv); stdout and stderr go to `log_path`.
class ChildProcess {
public:
    ChildProcess(const std::vector<std::string>& argv, const std::filesystem::path& log_path);
    ~ChildProcess(); ///< sends SIGTERM and reaps when still running
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    int pid() const noexcept { return pid_; }
    /// Blocks until the child exits; returns its costs (wall time counted from the start).
    ProcessStats wait();
    /// SIGTERM, then wait().
    ProcessStats terminate();
    bool running() const noexcept { return pid_ > 0; }

private:
    int pid_ = -1;
    Clock::time_point start_;
};

/// Runs a command to completion. Throws when it cannot be started.
ProcessStats run_process(const std::vector<std::string>& argv, const std::filesystem::path& log_path);

/// Latency summary in milliseconds.
struct LatencySummary {
    std::size_t count = 0;
    double mean_ms = 0, p50_ms = 0, p95_ms = 0, p99_ms = 0, max_ms = 0;
};

/// Summarises latencies given in seconds (the vector is sorted in place).
LatencySummary summarise(std::vector<double>& seconds);

/// "nproc=2, CPU=..., MemTotal=... GB, kernel ..." for the report.
std::string machine_summary();

/// Reads up to `limit` non-blank lines of a file (0 = all). Throws when unreadable.
std::vector<std::string> read_lines(const std::filesystem::path& path, std::size_t limit = 0);

/// Counts the non-blank lines of a file and returns its size in bytes through `bytes`.
std::size_t count_lines(const std::filesystem::path& path, std::uintmax_t& bytes);

/// Percent-encodes a query-string value (RFC 3986 unreserved characters kept).
std::string url_encode(std::string_view s);

/// Whole file contents. Throws when unreadable.
std::string slurp(const std::filesystem::path& path);

/// Last `n` lines of a text file (for quoting a child's log on failure).
std::string tail_file(const std::filesystem::path& path, std::size_t n);

/// A directory removed (recursively) when the object dies, unless keep() was called.
class ScratchDir {
public:
    /// Creates `path` (which must not exist yet), or a fresh dir under the temp dir when empty.
    explicit ScratchDir(const std::filesystem::path& path = {});
    ~ScratchDir();
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    const std::filesystem::path& path() const noexcept { return path_; }
    void keep() noexcept { keep_ = true; }

private:
    std::filesystem::path path_;
    bool keep_ = false;
};

} // namespace gazette::bench
