#include "indexer/serve/writer_loop.hpp"

#include "common/logging.hpp"
#include "indexer/ingest.hpp"
#include "indexer/serve/serve_metrics.hpp"

#include <stdexcept>

namespace gazette::indexer::serve {

namespace {

using Clock = std::chrono::steady_clock;

/// While the writer cannot index (a reload is deferred, or the index failed to open), it
/// wakes at least this often to retry.
constexpr auto kRetryInterval = std::chrono::milliseconds(200);
/// Reopening a failed index is retried no more often than this.
constexpr auto kReopenInterval = std::chrono::seconds(1);

template <class F, class... Args>
void call_guarded(const char* what, F& fn, Args&&... args) {
    try {
        fn(std::forward<Args>(args)...);
    } catch (const std::exception& e) {
        logger("ingest")->error("{} threw: {}", what, e.what());
    } catch (...) {
        logger("ingest")->error("{} threw", what);
    }
}

} // namespace

WriterLoop::WriterLoop(WriterContext& ctx, ServeMetrics& metrics, std::shared_mutex& taxonomy_lock,
                       WriterLoopOptions options)
    : ctx_(ctx), metrics_(metrics), taxonomy_lock_(taxonomy_lock), options_(options) {}

WriterLoop::~WriterLoop() { stop(); }

void WriterLoop::start() {
    thread_ = std::thread([this] { run(); });
}

std::string WriterLoop::fault() const {
    std::lock_guard lock(mutex_);
    return fault_;
}

bool WriterLoop::has_room(std::size_t n) const {
    if (queue_.empty()) {
        return true; // a lone submission always fits, or a huge body could never be accepted
    }
    return queued_records_ + n <= options_.max_queued_records && queue_.size() < options_.max_queued_batches;
}

WriterLoop::Submit WriterLoop::submit(std::vector<ArchiveRecord> records, IngestDone done) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) {
            return Submit::stopping;
        }
        if (!has_room(records.size())) {
            return Submit::overloaded;
        }
        queued_records_ += records.size();
        queue_.push_back(Batch{std::move(records), std::move(done)});
    }
    wake_.notify_one();
    return Submit::queued;
}

WriterLoop::Submit WriterLoop::submit_wait(std::vector<ArchiveRecord> records, IngestDone done) {
    {
        std::unique_lock lock(mutex_);
        const std::size_t n = records.size();
        room_.wait(lock, [&] { return stopping_ || has_room(n); });
        if (stopping_) {
            return Submit::stopping;
        }
        queued_records_ += n;
        queue_.push_back(Batch{std::move(records), std::move(done)});
    }
    wake_.notify_one();
    return Submit::queued;
}

void WriterLoop::post_exclusive(std::function<void(WriterAccess&)> task,
                                std::function<void(std::exception_ptr)> done) {
    {
        std::lock_guard lock(mutex_);
        if (!stopping_) {
            tasks_.push_back(Task{std::move(task), std::move(done)});
            wake_.notify_one();
            return;
        }
    }
    auto err = std::make_exception_ptr(std::runtime_error("the writer is shutting down"));
    call_guarded("exclusive task completion", done, err);
}

void WriterLoop::run_exclusive(std::function<void(WriterAccess&)> task) {
    std::promise<void> promise;
    auto future = promise.get_future();
    post_exclusive(std::move(task), [&promise](std::exception_ptr err) {
        if (err) {
            promise.set_exception(err);
        } else {
            promise.set_value();
        }
    });
    future.get();
}

void WriterLoop::request_taxonomy_reload() {
    {
        std::lock_guard lock(mutex_);
        reload_requested_ = true;
    }
    wake_.notify_one();
}

void WriterLoop::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    room_.notify_all();
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) {
        thread_.join();
    }
}

std::size_t WriterLoop::queue_depth() const {
    std::lock_guard lock(mutex_);
    return queued_records_;
}

std::string WriterLoop::live_generation() const {
    std::lock_guard lock(mutex_);
    return generation_;
}

void WriterLoop::open_live() {
    writer_.reset(); // releases the old generation's write lock (and drops an open batch)
    uncommitted_seq_ = 0;
    const std::string gen = ensure_live_generation(ctx_);
    writer_ = std::make_unique<IndexWriter>(ctx_.data_dir().generation_path(gen), false);
    if (!pool_) {
        pool_ = std::make_unique<ParallelBuilder>(ctx_.builder(), ctx_.threads());
    }
    {
        std::lock_guard lock(mutex_);
        generation_ = gen;
    }
    const auto replayed = replay_archive(ctx_, *writer_, *pool_, std::max<std::size_t>(1, options_.replay_batch), nullptr);
    if (replayed > 0) {
        logger("ingest")->info("replayed {} archived records into generation={}", replayed, gen);
        metrics_.add_replayed(replayed);
    }
    committed_seq_.store(writer_->committed_seq());
    documents_.store(writer_->doc_count());
    std::lock_guard lock(mutex_);
    fault_.clear();
}

void WriterLoop::recover(const std::string& why) {
    logger("ingest")->error("index write failed ({}); reopening the live generation and replaying the archive", why);
    {
        std::lock_guard lock(mutex_);
        fault_ = why;
    }
    last_open_attempt_ = Clock::now();
    try {
        open_live();
    } catch (const std::exception& e) {
        writer_.reset();
        logger("ingest")->error("cannot reopen the live generation: {}; acknowledged records stay in the archive",
                                e.what());
        std::lock_guard lock(mutex_);
        fault_ = e.what();
    }
    ready_.store(writer_ != nullptr);
}

void WriterLoop::run() {
    last_open_attempt_ = Clock::now();
    try {
        open_live();
        ready_.store(true);
        logger("ingest")->info("writer ready: generation={} documents={} committed_seq={}", live_generation(),
                               documents_.load(), committed_seq_.load());
    } catch (const std::exception& e) {
        writer_.reset();
        logger("ingest")->error("cannot open the live generation: {}", e.what());
        std::lock_guard lock(mutex_);
        fault_ = e.what();
    }
    for (;;) {
        std::vector<Batch> batches;
        std::deque<Task> tasks;
        bool reload = false;
        bool stop = false;
        {
            std::unique_lock lock(mutex_);
            auto work = [this] { return !queue_.empty() || !tasks_.empty() || stopping_ || reload_requested_; };
            std::optional<Clock::time_point> deadline;
            if (uncommitted_seq_ > 0) {
                deadline = commit_deadline_;
            }
            if (reload_deferred_ || !writer_) {
                const auto retry = Clock::now() + kRetryInterval;
                deadline = deadline ? std::min(*deadline, retry) : retry;
            }
            if (deadline) {
                wake_.wait_until(lock, *deadline, work);
            } else {
                wake_.wait(lock, work);
            }
            batches.swap(queue_);
            queued_records_ = 0;
            tasks.swap(tasks_);
            reload = reload_requested_ || reload_deferred_;
            reload_requested_ = false;
            stop = stopping_;
        }
        room_.notify_all();
        if (!writer_ && Clock::now() - last_open_attempt_ >= kReopenInterval) {
            recover(fault());
        }
        if (!batches.empty()) {
            process(batches);
        }
        if (uncommitted_seq_ > 0 && (stop || reload || !tasks.empty() || Clock::now() >= commit_deadline_)) {
            commit();
        }
        if (reload) {
            try_reload();
        }
        if (!tasks.empty()) {
            run_tasks(tasks);
        }
        if (stop) {
            std::lock_guard lock(mutex_);
            if (queue_.empty() && tasks_.empty()) {
                break;
            }
        }
    }
    commit();
    ready_.store(false);
    writer_.reset();
    pool_.reset();
    logger("ingest")->info("writer stopped: committed_seq={}", committed_seq_.load());
}

void WriterLoop::process(std::vector<Batch>& batches) {
    std::vector<ArchiveRecord> all;
    std::vector<std::size_t> counts;
    counts.reserve(batches.size());
    std::uint64_t upserts = 0;
    std::uint64_t deletes = 0;
    for (auto& b : batches) {
        counts.push_back(b.records.size());
        for (auto& r : b.records) {
            (r.op == ArchiveRecord::Op::upsert ? upserts : deletes) += 1;
            all.push_back(std::move(r));
        }
    }
    if (!all.empty()) {
        try {
            ctx_.archive().append(all); // one fsync for every request taken (group commit)
        } catch (const std::exception& e) {
            logger("ingest")->error("archive append failed for {} records: {}", all.size(), e.what());
            const IngestOutcome failed{false, std::string("archive write failed: ") + e.what(), 0};
            for (auto& b : batches) {
                call_guarded("ingest completion", b.done, failed);
            }
            return;
        }
    }
    // Durable now: acknowledge before indexing, indexing only affects freshness.
    std::size_t offset = 0;
    for (std::size_t i = 0; i < batches.size(); ++i) {
        offset += counts[i];
        IngestOutcome ok{true, {}, offset > 0 ? all[offset - 1].seq : 0};
        call_guarded("ingest completion", batches[i].done, ok);
    }
    metrics_.add_ingested(upserts, deletes);
    if (all.empty() || !writer_) {
        return; // without an index the records wait in the archive for the replay
    }
    try {
        index_records(*writer_, *pool_, all);
        if (uncommitted_seq_ == 0) {
            commit_deadline_ = Clock::now() + std::chrono::milliseconds(options_.commit_interval_ms);
        }
        uncommitted_seq_ = all.back().seq;
    } catch (const std::exception& e) {
        recover(e.what());
    }
}

void WriterLoop::commit() {
    if (!writer_ || uncommitted_seq_ == 0) {
        return;
    }
    const auto t0 = Clock::now();
    try {
        writer_->commit(uncommitted_seq_);
    } catch (const std::exception& e) {
        recover(e.what());
        return;
    }
    metrics_.record_commit(std::chrono::duration<double>(Clock::now() - t0).count());
    committed_seq_.store(uncommitted_seq_);
    documents_.store(writer_->doc_count());
    uncommitted_seq_ = 0;
}

bool WriterLoop::try_reload() {
    std::unique_lock lock(taxonomy_lock_, std::try_to_lock);
    if (!lock) {
        if (!reload_deferred_) {
            logger("ingest")->info("taxonomy reload deferred until the running job ends");
        }
        reload_deferred_ = true;
        return false;
    }
    reload_deferred_ = false;
    pool_.reset(); // the pool refers to the DocumentBuilder that the reload replaces
    if (auto r = ctx_.reload_taxonomy(); !r) {
        logger("ingest")->error("taxonomy reload failed, keeping the previous one: {}", r.error().message);
    } else {
        logger("ingest")->info("taxonomy reloaded");
    }
    pool_ = std::make_unique<ParallelBuilder>(ctx_.builder(), ctx_.threads());
    return true;
}

void WriterLoop::run_tasks(std::deque<Task>& tasks) {
    for (auto& task : tasks) {
        std::exception_ptr err;
        if (!writer_) {
            err = std::make_exception_ptr(std::runtime_error("the index writer is unavailable: " + fault()));
        } else {
            const DocumentBuilder* builder = &ctx_.builder();
            try {
                WriterAccess access{ctx_, *writer_, *pool_, live_generation()};
                task.fn(access);
            } catch (...) {
                err = std::current_exception();
            }
            if (&ctx_.builder() != builder) {
                // The task reloaded the taxonomy (retag): the pool refers to the old builder.
                pool_ = std::make_unique<ParallelBuilder>(ctx_.builder(), ctx_.threads());
            }
            // A task may have swapped the live generation: follow it, and replay into it what
            // it misses, so every acknowledged record stays in the live generation.
            try {
                const auto live = ctx_.data_dir().live_generation();
                if (live && *live != live_generation()) {
                    logger("ingest")->info("live generation is now {}; reopening the writer", *live);
                    open_live();
                }
            } catch (const std::exception& e) {
                recover(e.what());
            }
        }
        call_guarded("exclusive task completion", task.done, err);
    }
}

} // namespace gazette::indexer::serve
