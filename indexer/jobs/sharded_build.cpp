#include "indexer/jobs/sharded_build.hpp"

#include "indexer/jobs/job_control.hpp"

#include <xapian.h>

#include <fmt/format.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace fs = std::filesystem;

namespace gazette::indexer {

namespace {

using Batch = std::vector<Article>;

/// Single-producer single-consumer bounded queue of batches. close() ends the stream;
/// abort() (set through the shared flag) wakes a blocked producer so it can give up.
class BatchQueue {
public:
    BatchQueue(std::size_t capacity, const std::atomic<bool>& aborted) : capacity_(capacity), aborted_(aborted) {}

    /// Blocks while full. Returns false when the build was aborted.
    bool push(Batch&& batch) {
        std::unique_lock lock(mutex_);
        not_full_.wait(lock, [&] { return items_.size() < capacity_ || aborted_.load(); });
        if (aborted_.load()) {
            return false;
        }
        items_.push_back(std::move(batch));
        not_empty_.notify_one();
        return true;
    }

    /// Blocks while empty. Returns false at the end of the stream or when aborted.
    bool pop(Batch& out) {
        std::unique_lock lock(mutex_);
        not_empty_.wait(lock, [&] { return !items_.empty() || closed_ || aborted_.load(); });
        if (aborted_.load() || items_.empty()) {
            return false;
        }
        out = std::move(items_.front());
        items_.pop_front();
        not_full_.notify_one();
        return true;
    }

    void close() {
        std::lock_guard lock(mutex_);
        closed_ = true;
        not_empty_.notify_all();
    }

    /// Wakes both sides after the shared abort flag was set.
    void wake() {
        std::lock_guard lock(mutex_);
        not_empty_.notify_all();
        not_full_.notify_all();
    }

private:
    std::size_t capacity_;
    const std::atomic<bool>& aborted_;
    std::mutex mutex_;
    std::condition_variable not_empty_;
    std::condition_variable not_full_;
    std::deque<Batch> items_;
    bool closed_ = false;
};

/// Bytes of article text a document's postings come from (what a run's memory grows with).
std::size_t text_bytes(const Article& a) {
    std::size_t n = a.title.size() + a.body.size();
    for (const auto& h : a.headings) {
        n += h.size();
    }
    return n;
}

/// One shard builder: owns its TermGenerator for its whole life and writes runs
/// `dir`/run-0, run-1, ... Returns the paths of the runs it wrote (none when it got no work).
std::vector<fs::path> run_shard(const DocumentBuilder& builder, BatchQueue& queue, const fs::path& dir,
                                const ShardedBuildOptions& options, Progress& progress) {
    Xapian::TermGenerator tg = builder.analyzer().make_term_generator(builder.analyzer().config().default_language);
    std::vector<fs::path> runs;
    std::optional<Xapian::WritableDatabase> db;
    std::size_t run_docs = 0;
    std::size_t run_bytes = 0;
    auto finish_run = [&] {
        if (db) {
            db->commit_transaction();
            db->close();
            db.reset();
        }
    };
    Batch batch;
    while (queue.pop(batch)) {
        for (auto& article : batch) {
            if (!db) {
                runs.push_back(dir / fmt::format("run-{}", runs.size()));
                // Scratch until the merged result is fsynced and installed: no fsync, and
                // in-place block writes (a crash leaves a run unusable, and it is discarded).
                db.emplace(runs.back().string(),
                           Xapian::DB_CREATE | Xapian::DB_NO_SYNC | Xapian::DB_DANGEROUS | Xapian::DB_BACKEND_GLASS);
                // An open transaction suppresses Xapian's automatic flush every 10k documents,
                // so the run is written by exactly one flush into an empty database.
                db->begin_transaction(false);
                run_docs = 0;
                run_bytes = 0;
            }
            run_bytes += text_bytes(article);
            db->add_document(builder.build(article, tg));
            if (++run_docs >= options.run_documents || run_bytes >= options.run_text_bytes) {
                finish_run();
            }
        }
        progress.advance(batch.size());
    }
    finish_run();
    return runs;
}

} // namespace

ShardedBuildStats build_sharded(const DocumentBuilder& builder, const RecordSource& source, const fs::path& work_dir,
                                const fs::path& out, const ShardedBuildOptions& options, Progress& progress,
                                const std::atomic<bool>& cancel) {
    const auto start = std::chrono::steady_clock::now();
    const std::size_t k = std::max<std::size_t>(1, options.shards);
    fs::create_directories(work_dir);

    std::atomic<bool> aborted{false};
    std::vector<std::unique_ptr<BatchQueue>> queues;
    std::vector<fs::path> shard_dirs;
    std::vector<std::vector<fs::path>> shard_runs(k);
    for (std::size_t i = 0; i < k; ++i) {
        queues.push_back(std::make_unique<BatchQueue>(std::max<std::size_t>(1, options.queue_batches), aborted));
        shard_dirs.push_back(work_dir / fmt::format("shard-{}", i));
        fs::create_directories(shard_dirs.back());
    }
    std::mutex error_mutex;
    std::exception_ptr first_error;
    auto fail = [&](std::exception_ptr e) {
        {
            std::lock_guard lock(error_mutex);
            if (!first_error) {
                first_error = std::move(e);
            }
        }
        aborted.store(true);
        for (auto& q : queues) {
            q->wake();
        }
    };

    std::vector<std::thread> workers;
    workers.reserve(k);
    for (std::size_t i = 0; i < k; ++i) {
        workers.emplace_back([&, i] {
            try {
                shard_runs[i] = run_shard(builder, *queues[i], shard_dirs[i], options, progress);
            } catch (...) {
                fail(std::current_exception());
            }
        });
    }

    // Feed on this thread; round-robin whole batches to keep the shards equally loaded.
    try {
        Batch batch;
        std::size_t next = 0;
        auto hand_over = [&] {
            throw_if_cancelled(cancel);
            if (!queues[next]->push(std::move(batch))) {
                throw JobCancelled(); // a shard failed; its error is rethrown below
            }
            batch = Batch();
            batch.reserve(options.batch_articles);
            next = (next + 1) % k;
        };
        batch.reserve(options.batch_articles);
        source([&](ArchiveRecord&& r) {
            if (r.op != ArchiveRecord::Op::upsert) {
                return;
            }
            batch.push_back(std::move(r.article));
            if (batch.size() >= options.batch_articles) {
                hand_over();
            }
        });
        if (!batch.empty()) {
            hand_over();
        }
        for (auto& q : queues) {
            q->close();
        }
    } catch (...) {
        fail(std::current_exception());
    }
    for (auto& t : workers) {
        t.join();
    }
    if (first_error) {
        std::error_code ec;
        fs::remove_all(work_dir, ec);
        std::rethrow_exception(first_error);
    }

    ShardedBuildStats stats;
    stats.shards = k;
    const auto built = std::chrono::steady_clock::now();
    stats.build_seconds = std::chrono::duration<double>(built - start).count();
    std::vector<fs::path> runs;
    for (auto& r : shard_runs) {
        runs.insert(runs.end(), r.begin(), r.end());
    }
    stats.runs = runs.size();
    if (runs.empty()) {
        Xapian::WritableDatabase(out.string(), Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS).commit();
    } else {
        Xapian::Database combined;
        for (const auto& p : runs) {
            combined.add_database(Xapian::Database(p.string()));
        }
        // One k-way merge of every run. Not DBCOMPACT_MULTIPASS: with many small runs its
        // tree of intermediate databases cost about twice the CPU of a single pass
        // (bench/reindex/README.md).
        combined.compact(out.string(), Xapian::DB_BACKEND_GLASS);
    }
    stats.merge_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - built).count();
    fs::remove_all(work_dir);
    stats.documents = Xapian::Database(out.string()).get_doccount();
    return stats;
}

} // namespace gazette::indexer
