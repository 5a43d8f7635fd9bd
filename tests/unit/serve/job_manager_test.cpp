// JobManager: state transitions, persistence in jobs/, cancellation; and the real reindex
// kind (serve_job_kinds) cancelled while running, which must leave the live generation alone.

#include "indexer/serve/job_manager.hpp"

#include "indexer/serve/serve_jobs.hpp"
#include "serve_test_support.hpp"

#include <boost/json.hpp>

#include <atomic>
#include <future>
#include <mutex>

namespace fs = std::filesystem;

namespace gazette::indexer::serve::testing {
namespace {

/// A gate a fake job waits on, opened by the test.
class Gate {
public:
    void open() {
        {
            std::lock_guard lock(mutex_);
            open_ = true;
        }
        cv_.notify_all();
    }
    /// Waits until opened or `cancel` is set; true when opened.
    bool wait(const std::atomic<bool>& cancel) {
        std::unique_lock lock(mutex_);
        while (!open_ && !cancel.load()) {
            cv_.wait_for(lock, std::chrono::milliseconds(5));
        }
        return open_;
    }

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    bool open_ = false;
};

class JobManagerTest : public ::testing::Test {
protected:
    fs::path jobs_dir() const { return tmp_.path() / "jobs"; }

    /// Kinds: "gated" (reports progress, waits for the gate, honours cancel), "ok", "error",
    /// "throws", "refused" (JobResult.failed).
    std::map<std::string, JobFn> kinds() {
        std::map<std::string, JobFn> k;
        k["gated"] = [this](const JobParams&, Progress& progress, const std::atomic<bool>& cancel) -> Result<JobResult> {
            runs_.fetch_add(1);
            progress.set_total(10);
            progress.advance(4);
            if (!gate_.wait(cancel)) {
                return JobResult{true, false, "", "cancelled", "stopped on request"};
            }
            progress.advance(6);
            return JobResult{false, false, "g000002", "published", "all good"};
        };
        k["ok"] = [this](const JobParams& params, Progress&, const std::atomic<bool>&) -> Result<JobResult> {
            runs_.fetch_add(1);
            const auto it = params.find("note");
            return JobResult{false, false, "", "ok", it == params.end() ? "" : it->second};
        };
        k["error"] = [](const JobParams&, Progress&, const std::atomic<bool>&) -> Result<JobResult> {
            return Error(ErrorCode::conflict, "expected failure");
        };
        k["throws"] = [](const JobParams&, Progress&, const std::atomic<bool>&) -> Result<JobResult> {
            throw std::runtime_error("disk on fire");
        };
        k["refused"] = [](const JobParams&, Progress&, const std::atomic<bool>&) -> Result<JobResult> {
            return JobResult{false, true, "g000009", "refused", "diff too large"};
        };
        return k;
    }

    JobState state_of(const JobManager& jobs, const std::string& id) const { return jobs.get(id).value().state; }

    bool wait_state(const JobManager& jobs, const std::string& id, JobState want) const {
        return eventually([&] { return state_of(jobs, id) == want; });
    }

    boost::json::object file_of(const std::string& id) const {
        std::ifstream in(jobs_dir() / (id + ".json"));
        const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        return boost::json::parse(text).as_object();
    }

    TempDir tmp_;
    Gate gate_;
    std::atomic<int> runs_{0};
};

TEST_F(JobManagerTest, JobsRunOneAtATimeThroughTheirStates) {
    JobManager jobs(jobs_dir(), kinds());
    auto first = jobs.start("gated", {});
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_EQ(first->id, "j000001");
    EXPECT_EQ(first->state, JobState::queued);
    EXPECT_FALSE(first->created.empty());
    ASSERT_TRUE(wait_state(jobs, first->id, JobState::running));
    EXPECT_TRUE(jobs.busy());

    // Live progress while running.
    ASSERT_TRUE(eventually([&] { return jobs.get(first->id)->processed == 4; }));
    const auto running = jobs.get(first->id).value();
    EXPECT_EQ(running.total, 10u);
    EXPECT_FALSE(running.started.empty());
    EXPECT_TRUE(running.finished.empty());
    EXPECT_EQ(file_of(first->id).at("state").as_string(), "running");

    // A second job waits behind the first.
    auto second = jobs.start("ok", {{"note", "hello"}});
    ASSERT_TRUE(second);
    EXPECT_EQ(second->id, "j000002");
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    EXPECT_EQ(state_of(jobs, second->id), JobState::queued);
    EXPECT_EQ(runs_.load(), 1);

    gate_.open();
    ASSERT_TRUE(wait_state(jobs, first->id, JobState::succeeded));
    ASSERT_TRUE(wait_state(jobs, second->id, JobState::succeeded));
    const auto done = jobs.get(first->id).value();
    EXPECT_EQ(done.processed, 10u);
    EXPECT_EQ(done.generation, "g000002");
    EXPECT_EQ(done.outcome, "published");
    EXPECT_EQ(done.message, "all good");
    EXPECT_EQ(done.eta_s, 0);
    EXPECT_FALSE(done.finished.empty());
    EXPECT_EQ(jobs.get(second->id)->message, "hello");
    EXPECT_EQ(jobs.get(second->id)->params.at("note"), "hello");
    EXPECT_TRUE(eventually([&] { return !jobs.busy(); }));

    const auto all = jobs.list();
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].id, "j000002"); // newest first
}

TEST_F(JobManagerTest, FailuresAreRecordedWithTheirMessage) {
    JobManager jobs(jobs_dir(), kinds());
    const auto e = jobs.start("error", {}).value();
    const auto t = jobs.start("throws", {}).value();
    const auto r = jobs.start("refused", {}).value();
    ASSERT_TRUE(wait_state(jobs, e.id, JobState::failed));
    ASSERT_TRUE(wait_state(jobs, t.id, JobState::failed));
    ASSERT_TRUE(wait_state(jobs, r.id, JobState::failed));
    EXPECT_EQ(jobs.get(e.id)->message, "expected failure");
    EXPECT_NE(jobs.get(t.id)->message.find("disk on fire"), std::string::npos);
    EXPECT_EQ(jobs.get(r.id)->outcome, "refused");
    EXPECT_EQ(jobs.get(r.id)->generation, "g000009");
    EXPECT_EQ(file_of(t.id).at("state").as_string(), "failed");
}

TEST_F(JobManagerTest, UnknownKindsAndIdsAreErrors) {
    JobManager jobs(jobs_dir(), kinds());
    const auto bad = jobs.start("defragment", {});
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, ErrorCode::not_found);
    EXPECT_NE(bad.error().message.find("gated"), std::string::npos) << "lists the known kinds";
    const auto missing = jobs.cancel("j999999");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::not_found);
    EXPECT_FALSE(jobs.get("j999999").has_value());
    EXPECT_EQ(jobs.kinds().size(), 5u);
}

TEST_F(JobManagerTest, CancelQueuedAtOnceRunningOnRequestFinishedIsAConflict) {
    JobManager jobs(jobs_dir(), kinds());
    const auto running = jobs.start("gated", {}).value();
    ASSERT_TRUE(wait_state(jobs, running.id, JobState::running));
    const auto queued = jobs.start("ok", {}).value();

    const auto c1 = jobs.cancel(queued.id);
    ASSERT_TRUE(c1) << c1.error().message;
    EXPECT_EQ(c1->state, JobState::cancelled);
    EXPECT_EQ(file_of(queued.id).at("state").as_string(), "cancelled");

    const auto c2 = jobs.cancel(running.id);
    ASSERT_TRUE(c2);
    ASSERT_TRUE(wait_state(jobs, running.id, JobState::cancelled));
    EXPECT_EQ(jobs.get(running.id)->outcome, "cancelled");
    EXPECT_TRUE(eventually([&] { return !jobs.busy(); }));
    EXPECT_EQ(runs_.load(), 1) << "the cancelled queued job never ran";

    const auto c3 = jobs.cancel(running.id);
    ASSERT_FALSE(c3);
    EXPECT_EQ(c3.error().code, ErrorCode::conflict);
}

TEST_F(JobManagerTest, StatePersistsAndInterruptedJobsAreMarkedFailed) {
    {
        JobManager jobs(jobs_dir(), kinds());
        const auto ok = jobs.start("ok", {{"note", "kept"}}).value();
        ASSERT_TRUE(wait_state(jobs, ok.id, JobState::succeeded));
        const auto gated = jobs.start("gated", {}).value();
        ASSERT_TRUE(wait_state(jobs, gated.id, JobState::running));
        const auto queued = jobs.start("ok", {}).value();
        jobs.shutdown(); // the daemon stops: the queued job is cancelled, the running one asked to stop
        EXPECT_EQ(state_of(jobs, queued.id), JobState::cancelled);
        EXPECT_EQ(state_of(jobs, gated.id), JobState::cancelled);
        EXPECT_FALSE(jobs.start("ok", {}));
    }
    // A job a crashed daemon left "running" on disk.
    write_text(jobs_dir() / "j000007.json",
               R"({"id":"j000007","kind":"gated","state":"running","created":"2024-01-02T03:04:05Z",)"
               R"("processed":3,"total":9,"params":{"force":"true"}})");
    write_text(jobs_dir() / "notes.txt", "not a job");

    JobManager jobs(jobs_dir(), kinds());
    const auto kept = jobs.get("j000001");
    ASSERT_TRUE(kept.has_value());
    EXPECT_EQ(kept->state, JobState::succeeded);
    EXPECT_EQ(kept->message, "kept");
    EXPECT_EQ(kept->params.at("note"), "kept");
    EXPECT_EQ(state_of(jobs, "j000003"), JobState::cancelled);

    const auto crashed = jobs.get("j000007").value();
    EXPECT_EQ(crashed.state, JobState::failed);
    EXPECT_NE(crashed.message.find("interrupted"), std::string::npos);
    EXPECT_EQ(crashed.processed, 3u);
    EXPECT_EQ(crashed.params.at("force"), "true");
    EXPECT_EQ(file_of("j000007").at("state").as_string(), "failed"); // rewritten on disk
    EXPECT_EQ(jobs.list().size(), 4u);

    // Numbering continues after the highest id seen.
    const auto next = jobs.start("ok", {}).value();
    EXPECT_EQ(next.id, "j000008");
}

TEST(JobToJson, HasTheApiShape) {
    JobInfo j;
    j.id = "j000004";
    j.kind = "reindex";
    j.state = JobState::running;
    j.created = "2024-01-02T03:04:05Z";
    j.processed = 5;
    j.total = 10;
    j.rate = 2.5;
    j.eta_s = 2;
    j.params = {{"force", "true"}};
    const auto o = boost::json::parse(job_to_json(j)).as_object();
    EXPECT_EQ(o.at("state").as_string(), "running");
    EXPECT_TRUE(o.at("finished").is_null());
    EXPECT_TRUE(o.at("generation").is_null());
    EXPECT_EQ(o.at("processed").to_number<int>(), 5);
    EXPECT_EQ(o.at("eta_s").to_number<double>(), 2.0);
    EXPECT_EQ(o.at("params").at("force").as_string(), "true");
    j.eta_s = -1;
    EXPECT_TRUE(boost::json::parse(job_to_json(j)).at("eta_s").is_null());
}

// The real reindex kind over a real writer: cancelled while running, it must publish nothing.
using ServeJobsTest = ServeFixture;

TEST_F(ServeJobsTest, CancellingARunningReindexLeavesTheLiveGenerationUntouched) {
    WriterLoopOptions options;
    options.commit_interval_ms = 20;
    WriterLoop writer(*ctx_, metrics_, taxonomy_lock_, options);
    writer.start();
    std::promise<void> acked;
    ASSERT_EQ(writer.submit(upserts("live", 30), [&](const IngestOutcome&) { acked.set_value(); }),
              WriterLoop::Submit::queued);
    acked.get_future().wait();
    ASSERT_TRUE(eventually([&] { return writer.committed_seq() == 30; }));
    const auto live_before = ctx_->data_dir().live_generation().value();
    const auto generations_before = ctx_->data_dir().list_generations();

    auto kinds = serve_job_kinds(*ctx_, writer, taxonomy_lock_);
    ASSERT_EQ(kinds.count("reindex"), 1u);
    std::atomic<bool> entered{false};
    // The real reindex, entered only once the cancel request has arrived, so the job is
    // certainly running when cancelled (no race with a fast reindex of 30 articles).
    kinds["reindex"] = [real = kinds["reindex"], &entered](const JobParams& params, Progress& progress,
                                                           const std::atomic<bool>& cancel) {
        entered.store(true);
        while (!cancel.load()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        return real(params, progress, cancel);
    };
    JobManager jobs(tmp_.path() / "data" / "jobs", std::move(kinds));
    const auto job = jobs.start("reindex", {{"force", "true"}}).value();
    ASSERT_TRUE(eventually([&] { return entered.load(); }));
    EXPECT_EQ(jobs.get(job.id)->state, JobState::running);
    ASSERT_TRUE(jobs.cancel(job.id));
    ASSERT_TRUE(eventually([&] { return !jobs.busy(); }, std::chrono::seconds(30)));
    const auto info = jobs.get(job.id).value();
    EXPECT_EQ(info.state, JobState::cancelled) << info.message;
    EXPECT_EQ(info.outcome, "cancelled");

    EXPECT_EQ(ctx_->data_dir().live_generation().value(), live_before);
    EXPECT_EQ(writer.live_generation(), live_before);
    EXPECT_EQ(ctx_->data_dir().list_generations(), generations_before);
    EXPECT_EQ(id_count(live_path(), "live29"), 1u);

    // The writer still ingests into the same live generation.
    std::promise<void> acked2;
    ASSERT_EQ(writer.submit(upserts("after", 1), [&](const IngestOutcome&) { acked2.set_value(); }),
              WriterLoop::Submit::queued);
    acked2.get_future().wait();
    EXPECT_TRUE(eventually([&] { return id_count(live_path(), "after0") == 1; }));
    jobs.shutdown();
    writer.stop();
}

TEST_F(ServeJobsTest, AReindexJobSwapsAndTheWriterFollows) {
    WriterLoopOptions options;
    options.commit_interval_ms = 20;
    WriterLoop writer(*ctx_, metrics_, taxonomy_lock_, options);
    writer.start();
    std::promise<void> acked;
    ASSERT_EQ(writer.submit(upserts("doc", 20), [&](const IngestOutcome&) { acked.set_value(); }),
              WriterLoop::Submit::queued);
    acked.get_future().wait();
    ASSERT_TRUE(eventually([&] { return writer.committed_seq() == 20; }));
    const auto live_before = ctx_->data_dir().live_generation().value();

    JobManager jobs(tmp_.path() / "data" / "jobs", serve_job_kinds(*ctx_, writer, taxonomy_lock_));
    const auto job = jobs.start("reindex", {}).value();
    ASSERT_TRUE(eventually([&] { return !jobs.busy(); }, std::chrono::seconds(30)));
    const auto info = jobs.get(job.id).value();
    ASSERT_EQ(info.state, JobState::succeeded) << info.message;
    EXPECT_EQ(info.outcome, "published");
    EXPECT_NE(info.generation, live_before);
    EXPECT_EQ(ctx_->data_dir().live_generation().value(), info.generation);
    EXPECT_EQ(writer.live_generation(), info.generation);
    EXPECT_EQ(id_count(live_path(), "doc19"), 1u);

    // New ingest lands in the new generation.
    std::promise<void> acked2;
    ASSERT_EQ(writer.submit(upserts("new", 1), [&](const IngestOutcome&) { acked2.set_value(); }),
              WriterLoop::Submit::queued);
    acked2.get_future().wait();
    EXPECT_TRUE(eventually([&] { return id_count(live_path(), "new0") == 1; }));
    EXPECT_EQ(id_count(ctx_->data_dir().generation_path(live_before), "new0"), 0u);
    jobs.shutdown();
    writer.stop();
}

} // namespace
} // namespace gazette::indexer::serve::testing
