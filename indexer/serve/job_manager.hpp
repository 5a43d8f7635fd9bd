#pragma once
/// Long operations (reindex, retag, ...) started through the admin API: one job thread runs
/// them in order of submission; each job's state is kept in memory and persisted as JSON in
/// DATA_DIR/jobs/<id>.json on every state change, so GET /jobs still shows them after a
/// restart. Jobs found queued or running at startup were interrupted by a stop or crash and
/// are marked failed ("interrupted"); their partial output is cleaned up by the job code.
///
/// Thread-safety: every public member may be called from any thread.

#include "common/error.hpp"
#include "indexer/progress.hpp"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace gazette::indexer::serve {

enum class JobState { queued, running, succeeded, failed, cancelled };

/// "queued", "running", "succeeded", "failed", "cancelled".
const char* job_state_name(JobState state) noexcept;

/// What a job function reports when it returns normally.
struct JobResult {
    bool cancelled = false;  ///< it stopped on request
    bool failed = false;     ///< it ran to the end but refused to publish (e.g. ranking diff)
    std::string generation;  ///< the generation it built, if any
    std::string outcome;     ///< job-specific word ("published", "refused", ...)
    std::string message;     ///< for humans
};

/// Query parameters of the POST that started the job (e.g. force=true).
using JobParams = std::map<std::string, std::string>;
/// Runs one job. Expected failures are returned; exceptions are caught and mark it failed.
using JobFn = std::function<Result<JobResult>(const JobParams&, Progress&, const std::atomic<bool>& cancel)>;

/// A snapshot of one job, as the API shows it.
struct JobInfo {
    std::string id;
    std::string kind;
    JobState state = JobState::queued;
    std::string created, started, finished; ///< ISO 8601, empty until then
    std::uint64_t processed = 0, total = 0, errors = 0;
    double rate = 0;
    double eta_s = -1;
    std::string generation;
    std::string outcome;
    std::string message;
    JobParams params;
};

/// The JSON object of GET /jobs/{id}.
std::string job_to_json(const JobInfo& job);

class JobManager {
public:
    /// Loads earlier jobs from `dir` (created if missing). `kinds` maps a kind ("reindex") to
    /// its function.
    JobManager(std::filesystem::path dir, std::map<std::string, JobFn> kinds);
    ~JobManager();
    JobManager(const JobManager&) = delete;
    JobManager& operator=(const JobManager&) = delete;

    /// Queues a job. Errors: not_found for an unknown kind, unsupported during shutdown.
    [[nodiscard]] Result<JobInfo> start(const std::string& kind, JobParams params);
    std::optional<JobInfo> get(const std::string& id) const;
    /// Every job, newest first.
    std::vector<JobInfo> list() const;
    /// Cancels a queued job at once, or asks a running one to stop. Errors: not_found;
    /// conflict when it already finished.
    [[nodiscard]] Result<JobInfo> cancel(const std::string& id);
    /// True while a job is queued or running.
    bool busy() const;
    /// Kinds that can be started.
    std::vector<std::string> kinds() const;

    /// Cancels the running and queued jobs, waits for the job thread. Idempotent.
    void shutdown();

private:
    struct Job {
        JobInfo info;
        std::atomic<bool> cancel{false};
        std::unique_ptr<Progress> progress;
    };
    void run();
    void persist(const JobInfo& info) const;
    JobInfo snapshot(const Job& job) const;

    std::filesystem::path dir_;
    std::map<std::string, JobFn> kinds_;
    mutable std::mutex mutex_;
    mutable std::mutex persist_mutex_; ///< taken before mutex_, never the other way round
    std::condition_variable wake_;
    std::map<std::string, std::shared_ptr<Job>> jobs_;
    std::deque<std::shared_ptr<Job>> queue_;
    std::shared_ptr<Job> running_;
    unsigned long next_number_ = 1;
    bool stopping_ = false;
    std::thread thread_;
};

} // namespace gazette::indexer::serve
