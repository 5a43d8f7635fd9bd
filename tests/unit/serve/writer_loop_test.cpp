// WriterLoop on a real data directory: bounded queue, group commit with the ack after the
// archive fsync, commit within commit_interval_ms, exclusive sections.

#include "indexer/serve/writer_loop.hpp"

#include "serve_test_support.hpp"

#include <atomic>
#include <future>
#include <mutex>
#include <set>

namespace gazette::indexer::serve::testing {
namespace {

using WriterLoopTest = ServeFixture;

/// Collects the outcomes of submissions; thread-safe.
class Acks {
public:
    IngestDone callback() {
        return [this](const IngestOutcome& o) {
            std::lock_guard lock(mutex_);
            outcomes_.push_back(o);
        };
    }
    std::size_t count() const {
        std::lock_guard lock(mutex_);
        return outcomes_.size();
    }
    std::vector<IngestOutcome> outcomes() const {
        std::lock_guard lock(mutex_);
        return outcomes_;
    }
    bool wait(std::size_t n) const {
        return eventually([&] { return count() >= n; });
    }

private:
    mutable std::mutex mutex_;
    std::vector<IngestOutcome> outcomes_;
};

TEST_F(WriterLoopTest, FullQueueAnswersOverloadedButALoneSubmissionAlwaysFits) {
    WriterLoopOptions options;
    options.max_queued_records = 5;
    options.max_queued_batches = 2;
    options.commit_interval_ms = 50;
    WriterLoop loop(*ctx_, metrics_, taxonomy_lock_, options);
    Acks acks;
    // Not started yet, so nothing drains: the queue fills deterministically.
    EXPECT_EQ(loop.submit(upserts("big", 8), acks.callback()), WriterLoop::Submit::queued); // alone: over the bound, taken
    EXPECT_EQ(loop.queue_depth(), 8u);
    EXPECT_EQ(loop.submit(upserts("more", 1), acks.callback()), WriterLoop::Submit::overloaded);
    EXPECT_EQ(loop.queue_depth(), 8u);

    WriterLoop loop2(*ctx_, metrics_, taxonomy_lock_, [] {
        WriterLoopOptions o;
        o.max_queued_records = 100;
        o.max_queued_batches = 2;
        return o;
    }());
    Acks acks2;
    EXPECT_EQ(loop2.submit(upserts("x", 1), acks2.callback()), WriterLoop::Submit::queued);
    EXPECT_EQ(loop2.submit(upserts("y", 1), acks2.callback()), WriterLoop::Submit::queued);
    EXPECT_EQ(loop2.submit(upserts("z", 1), acks2.callback()), WriterLoop::Submit::overloaded); // batch bound
    EXPECT_EQ(loop2.queue_depth(), 2u);
    loop2.stop(); // never started: nothing runs, later submissions are refused
    EXPECT_EQ(loop2.submit(upserts("w", 1), acks2.callback()), WriterLoop::Submit::stopping);
    EXPECT_EQ(acks2.count(), 0u);

    // Once running, the queue drains and there is room again.
    loop.start();
    ASSERT_TRUE(acks.wait(1));
    EXPECT_TRUE(acks.outcomes()[0].ok) << acks.outcomes()[0].error;
    EXPECT_TRUE(eventually([&] { return loop.queue_depth() == 0; }));
    EXPECT_EQ(loop.submit(upserts("more", 1), acks.callback()), WriterLoop::Submit::queued);
    ASSERT_TRUE(acks.wait(2));
    loop.stop();
    EXPECT_EQ(loop.submit(upserts("late", 1), acks.callback()), WriterLoop::Submit::stopping);
    EXPECT_EQ(id_count(live_path(), "big7"), 1u);
    EXPECT_EQ(id_count(live_path(), "more0"), 1u);
    EXPECT_EQ(id_count(live_path(), "late0"), 0u);
}

TEST_F(WriterLoopTest, GroupCommitAcknowledgesOnlyAfterOneArchiveAppend) {
    WriterLoopOptions options;
    options.commit_interval_ms = 100;
    WriterLoop loop(*ctx_, metrics_, taxonomy_lock_, options);
    struct Seen {
        IngestOutcome outcome;
        std::uint64_t archive_last_seq = 0;
        std::set<std::string> archived_ids;
        unsigned indexed = 0;
    };
    std::mutex mutex;
    std::vector<Seen> seen;
    auto done = [&](const std::string& probe_id) {
        return [&, probe_id](const IngestOutcome& o) {
            Seen s;
            s.outcome = o;
            s.archive_last_seq = ctx_->archive().last_seq();
            ctx_->archive().scan(0, [&](ArchiveRecord&& r) { s.archived_ids.insert(r.id); });
            s.indexed = id_count(live_path(), probe_id);
            std::lock_guard lock(mutex);
            seen.push_back(std::move(s));
        };
    };
    // Three requests queued before the writer runs: it must take them all at once.
    ASSERT_EQ(loop.submit(upserts("a", 4), done("a3")), WriterLoop::Submit::queued);
    ASSERT_EQ(loop.submit(upserts("b", 4), done("b3")), WriterLoop::Submit::queued);
    ASSERT_EQ(loop.submit(upserts("c", 4), done("c3")), WriterLoop::Submit::queued);
    EXPECT_EQ(ctx_->archive().last_seq(), 0u); // nothing durable before the writer runs
    loop.start();
    ASSERT_TRUE(eventually([&] {
        std::lock_guard lock(mutex);
        return seen.size() == 3;
    }));
    std::lock_guard lock(mutex);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_TRUE(seen[i].outcome.ok) << seen[i].outcome.error;
        EXPECT_EQ(seen[i].outcome.last_seq, 4 * (i + 1)); // completions in submission order
        // Every request was already in the archive when the first was acknowledged: one append.
        EXPECT_EQ(seen[i].archive_last_seq, 12u);
        EXPECT_EQ(seen[i].archived_ids.size(), 12u);
        for (const char* id : {"a0", "b3", "c2"}) {
            EXPECT_EQ(seen[i].archived_ids.count(id), 1u) << id;
        }
        // Acknowledged before indexing: not yet committed to the index.
        EXPECT_EQ(seen[i].indexed, 0u);
    }
    // Searchable within the commit interval (generous margin for a loaded machine).
    EXPECT_TRUE(eventually([&] { return id_count(live_path(), "c3") == 1; }, std::chrono::seconds(5)));
    EXPECT_TRUE(eventually([&] { return loop.committed_seq() == 12; }));
    EXPECT_EQ(loop.documents(), 12u);
}

TEST_F(WriterLoopTest, StopDrainsTheQueueAndCommits) {
    WriterLoopOptions options;
    options.commit_interval_ms = 60000; // only shutdown commits
    WriterLoop loop(*ctx_, metrics_, taxonomy_lock_, options);
    loop.start();
    ASSERT_TRUE(eventually([&] { return loop.ready(); }));
    Acks acks;
    ASSERT_EQ(loop.submit(upserts("d", 5), acks.callback()), WriterLoop::Submit::queued);
    ASSERT_TRUE(acks.wait(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_EQ(id_count(live_path(), "d4"), 0u); // acknowledged, not yet committed
    loop.stop();
    EXPECT_EQ(id_count(live_path(), "d4"), 1u);
    EXPECT_EQ(loop.committed_seq(), 5u);
}

TEST_F(WriterLoopTest, ExclusiveTaskRunsAloneWithEverythingCommitted) {
    WriterLoopOptions options;
    options.commit_interval_ms = 60000; // no timed commit: only the exclusive section commits
    WriterLoop loop(*ctx_, metrics_, taxonomy_lock_, options);
    loop.start();
    Acks acks;
    ASSERT_EQ(loop.submit(upserts("e", 3), acks.callback()), WriterLoop::Submit::queued);
    ASSERT_TRUE(acks.wait(1));
    EXPECT_EQ(id_count(live_path(), "e2"), 0u);

    std::atomic<bool> inner_acked{false};
    std::thread::id task_thread;
    unsigned seen_in_task = 0;
    std::uint64_t committed_in_task = 0;
    bool acked_during_task = true;
    std::string generation_in_task;
    loop.run_exclusive([&](WriterAccess& access) {
        task_thread = std::this_thread::get_id();
        generation_in_task = access.generation;
        committed_in_task = access.writer.committed_seq();
        seen_in_task = id_count(access.ctx.data_dir().generation_path(access.generation), "e2");
        // Ingest submitted now waits for the task: the writer is busy with us.
        EXPECT_EQ(loop.submit(upserts("f", 1), [&](const IngestOutcome&) { inner_acked.store(true); }),
                  WriterLoop::Submit::queued);
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        acked_during_task = inner_acked.load();
    });
    EXPECT_NE(task_thread, std::this_thread::get_id());
    EXPECT_EQ(seen_in_task, 1u) << "the writer commits before an exclusive task";
    EXPECT_EQ(committed_in_task, 3u);
    EXPECT_EQ(generation_in_task, loop.live_generation());
    EXPECT_FALSE(acked_during_task);
    EXPECT_TRUE(eventually([&] { return inner_acked.load(); }));

    // A task's exception reaches the caller, and the writer keeps working afterwards.
    EXPECT_THROW(loop.run_exclusive([](WriterAccess&) { throw std::runtime_error("boom"); }), std::runtime_error);
    ASSERT_EQ(loop.submit(upserts("g", 1), acks.callback()), WriterLoop::Submit::queued);
    ASSERT_TRUE(acks.wait(2));
    EXPECT_TRUE(acks.outcomes()[1].ok);

    // After stop, tasks are refused without running.
    loop.stop();
    bool ran = false;
    std::exception_ptr err;
    loop.post_exclusive([&](WriterAccess&) { ran = true; }, [&](std::exception_ptr e) { err = e; });
    EXPECT_FALSE(ran);
    EXPECT_NE(err, nullptr);
    EXPECT_EQ(id_count(live_path(), "g0"), 1u); // drained and committed on stop
}

TEST_F(WriterLoopTest, RestartReplaysArchivedButUncommittedRecords) {
    // Records archived by a writer that died before committing (simulated: appended directly).
    std::vector<ArchiveRecord> records = upserts("r", 4);
    ctx_->archive().append(records);
    WriterLoop loop(*ctx_, metrics_, taxonomy_lock_, WriterLoopOptions{});
    loop.start();
    ASSERT_TRUE(eventually([&] { return loop.ready(); }));
    EXPECT_EQ(loop.committed_seq(), 4u);
    EXPECT_EQ(loop.documents(), 4u);
    EXPECT_EQ(id_count(live_path(), "r3"), 1u);
}

} // namespace
} // namespace gazette::indexer::serve::testing
