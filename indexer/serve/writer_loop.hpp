#pragma once
/// The daemon's single writer thread and its bounded ingest queue.
///
/// Request handlers and the inbox parse articles into ArchiveRecords and submit() them. The
/// writer thread takes everything queued at once (group commit): one Archive::append, i.e. one
/// fsync, for many requests; then it completes every waiting submission (the 202 happens only
/// after the fsync, so it is durable); then it indexes the records into an open Xapian
/// transaction that it commits at the latest `commit_interval_ms` after the first uncommitted
/// record (so an article is searchable within about that time of its ack), immediately on
/// shutdown, and before any exclusive task.
///
/// Exclusive tasks (run_exclusive) run on the writer thread between batches, with everything
/// committed: a job's final catch-up and swap, or a generation activation. When a task has
/// changed the live generation, the writer reopens its IndexWriter on the new one and replays
/// the archive records after that generation's committed sequence number, so nothing
/// acknowledged is ever missing from the live generation.
///
/// Thread-safety: every public member may be called from any thread, except that the
/// destructor/stop() must not be called from the writer thread itself.

#include "indexer/archive.hpp"
#include "indexer/parallel_builder.hpp"
#include "indexer/writer.hpp"
#include "indexer/writer_context.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

namespace gazette::indexer::serve {

class ServeMetrics;

/// How a submission ended: `ok` once durable in the archive, else `error` says why.
struct IngestOutcome {
    bool ok = false;
    std::string error;
    std::uint64_t last_seq = 0;
};

/// Called once per submission on the writer thread; must not block for long.
using IngestDone = std::function<void(const IngestOutcome&)>;

/// What an exclusive task may touch; valid only during the task.
struct WriterAccess {
    WriterContext& ctx;
    IndexWriter& writer;     ///< the live generation's writer, nothing uncommitted
    ParallelBuilder& pool;
    std::string generation;  ///< the live generation the writer has open
};

struct WriterLoopOptions {
    std::uint32_t commit_interval_ms = 500;
    std::size_t replay_batch = 1000;
    std::size_t max_queued_records = 100000; ///< beyond this, submit() answers overloaded
    std::size_t max_queued_batches = 4096;
};

class WriterLoop {
public:
    enum class Submit { queued, overloaded, stopping };

    /// `taxonomy_lock` is held shared by jobs that build documents with ctx.builder(); the writer
    /// takes it exclusively (try-lock) to reload the taxonomy, so a reload never pulls the
    /// DocumentBuilder from under a running job.
    WriterLoop(WriterContext& ctx, ServeMetrics& metrics, std::shared_mutex& taxonomy_lock, WriterLoopOptions options);
    ~WriterLoop();
    WriterLoop(const WriterLoop&) = delete;
    WriterLoop& operator=(const WriterLoop&) = delete;

    /// Starts the thread: opens (creating if needed) the live generation, replays archived but
    /// unindexed records, then turns ready() and serves the queue.
    void start();

    /// True once recovery is done and the loop runs (for /readyz).
    bool ready() const noexcept { return ready_.load(); }
    /// Non-empty when the writer hit an error it could not recover from (readyz says so).
    std::string fault() const;

    /// Queues records; `done` is called once they are durable (or failed). Never blocks:
    /// answers `overloaded` when the queue is full (a lone submission into an empty queue is
    /// always accepted, whatever its size) and `stopping` during shutdown.
    Submit submit(std::vector<ArchiveRecord> records, IngestDone done);
    /// Like submit() but waits for room (inbox). Returns `stopping` if shutdown begins.
    Submit submit_wait(std::vector<ArchiveRecord> records, IngestDone done);

    /// Runs `task` on the writer thread between batches, after committing. `done` receives
    /// the exception the task threw, or nullptr. Tasks submitted during shutdown are
    /// completed with a runtime_error without running.
    void post_exclusive(std::function<void(WriterAccess&)> task, std::function<void(std::exception_ptr)> done);
    /// Blocking form of post_exclusive for job threads: rethrows what the task threw.
    void run_exclusive(std::function<void(WriterAccess&)> task);

    /// Asks the writer to reload the taxonomy and rebuild its builder pool (SIGHUP). Deferred
    /// while a job holds the taxonomy lock.
    void request_taxonomy_reload();

    /// Stops accepting, drains the queue (archives, acknowledges, indexes, commits), joins.
    /// Idempotent.
    void stop();

    std::size_t queue_depth() const;
    std::string live_generation() const;
    std::uint64_t documents() const noexcept { return documents_.load(); }
    std::uint64_t committed_seq() const noexcept { return committed_seq_.load(); }

private:
    struct Batch {
        std::vector<ArchiveRecord> records;
        IngestDone done;
    };
    struct Task {
        std::function<void(WriterAccess&)> fn;
        std::function<void(std::exception_ptr)> done;
    };

    void run();
    void open_live();
    void process(std::vector<Batch>& batches);
    void commit();
    void run_tasks(std::deque<Task>& tasks);
    bool try_reload();
    void recover(const std::string& why);
    bool has_room(std::size_t n) const;

    WriterContext& ctx_;
    ServeMetrics& metrics_;
    std::shared_mutex& taxonomy_lock_;
    WriterLoopOptions options_;

    mutable std::mutex mutex_;
    std::condition_variable wake_;     ///< the writer waits for work
    std::condition_variable room_;     ///< submit_wait waits for space
    std::vector<Batch> queue_;
    std::size_t queued_records_ = 0;
    std::deque<Task> tasks_;
    bool reload_requested_ = false;
    bool stopping_ = false;
    std::string fault_;
    std::string generation_;

    // Writer-thread state.
    std::unique_ptr<IndexWriter> writer_;
    std::unique_ptr<ParallelBuilder> pool_;
    std::uint64_t uncommitted_seq_ = 0;
    std::chrono::steady_clock::time_point commit_deadline_{};
    std::chrono::steady_clock::time_point last_open_attempt_{};
    bool reload_deferred_ = false;

    std::atomic<bool> ready_{false};
    std::atomic<std::uint64_t> documents_{0};
    std::atomic<std::uint64_t> committed_seq_{0};
    std::thread thread_;
};

} // namespace gazette::indexer::serve
