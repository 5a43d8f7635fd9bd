#include "indexer/jobs/reindex_job.hpp"

#include "indexer/jobs/generation_files.hpp"
#include "indexer/writer.hpp"
#include "ops_test_support.hpp"

namespace gazette::indexer::testing {
namespace {

using ReindexJobTest = OpsFixture;

Progress silent(const char* label) { return Progress(label, 0, nullptr); }

TEST_F(ReindexJobTest, BuildsTheArchivesLatestStateAndPublishesIt) {
    upsert(corpus(120));
    auto changed = article("a7", "Report seven, revised", "A tank and oil story, rewritten.");
    upsert({changed});
    remove("a8");
    remove("a9");
    upsert({article("a9", "Back again", "Re-added after its delete.")});
    remove("never-existed");

    auto progress = silent("reindex");
    auto result = run_reindex(*ctx_, ReindexJobOptions{}, progress, no_cancel_);
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->outcome, JobOutcome::published);
    EXPECT_EQ(ctx_->data_dir().live_generation(), result->generation);
    EXPECT_EQ(result->documents, 119u);
    EXPECT_EQ(result->archive_ids, 119u);
    EXPECT_EQ(progress.snapshot().total, 119u);
    EXPECT_EQ(progress.snapshot().processed, 119u);
    EXPECT_EQ(result->archive_seq, ctx_->archive().last_seq());

    const auto ids = ids_in(live_path());
    std::set<std::string> expected;
    for (const auto& id : ctx_->archive().live_ids()) {
        expected.insert(id);
    }
    EXPECT_EQ(ids, expected);
    EXPECT_EQ(ids.count("a8"), 0u);
    EXPECT_EQ(ids.count("a9"), 1u);

    // The upsert replaced the first version: its stored data is the revised one.
    const Xapian::Database db(live_path().string());
    const auto doc = db.get_document(*db.postlist_begin("Qa7"));
    EXPECT_NE(doc.get_data().find("revised"), std::string::npos);
    EXPECT_EQ(db.get_metadata(std::string(schema::kMetaSchemaVersion)), std::to_string(schema::kSchemaVersion));
    EXPECT_FALSE(db.get_metadata(std::string(schema::kMetaCreated)).empty());
    // Classified while building: a7 mentions oil and tank.
    EXPECT_EQ(topics_of(live_path(), "a7"), (std::vector<std::string>{"energy", "military"}));
    // No scratch folders left behind.
    EXPECT_FALSE(std::filesystem::exists(build_dir(ctx_->data_dir(), result->generation)));
}

TEST_F(ReindexJobTest, NewGenerationAgreesWithAnUpToDateLiveOne) {
    upsert(corpus(60));
    index_live();
    const auto before = ctx_->data_dir().live_generation();
    auto progress = silent("reindex");
    auto result = run_reindex(*ctx_, ReindexJobOptions{}, progress, no_cancel_);
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->outcome, JobOutcome::published);
    EXPECT_EQ(result->previous, *before);
    EXPECT_FALSE(result->diff_skipped);
    EXPECT_EQ(result->diff.queries.size(), 3u);
    EXPECT_LT(result->diff.mean_disagreement, 0.01);
    EXPECT_EQ(ids_in(live_path()), ids_in(ctx_->data_dir().generation_path(*before)));
}

TEST_F(ReindexJobTest, KeepsTheConfiguredNumberOfGenerationsAndNeverTheLiveOneAway) {
    upsert(corpus(20));
    std::vector<std::string> made;
    for (int i = 0; i < 4; ++i) {
        auto progress = silent("reindex");
        auto result = run_reindex(*ctx_, ReindexJobOptions{}, progress, no_cancel_);
        ASSERT_TRUE(result) << result.error().message;
        made.push_back(result->generation);
    }
    // keep_generations = 2: the two newest remain, the live one among them.
    EXPECT_EQ(ctx_->data_dir().list_generations(), (std::vector<std::string>{made[2], made[3]}));
    EXPECT_EQ(ctx_->data_dir().live_generation(), made[3]);
}

TEST_F(ReindexJobTest, RefusesABigRankingDiffUnlessForced) {
    // The live generation holds oil articles the archive does not know (as after a bad
    // analyzer change): the new generation's top hits for "oil" are entirely different.
    upsert(corpus(30, "a"));
    index_live();
    {
        IndexWriter writer(live_path(), false);
        Xapian::TermGenerator tg = ctx_->analyzer().make_term_generator("en");
        for (int i = 0; i < 30; ++i) {
            auto a = article("stale" + std::to_string(i), "Oil oil oil", "Oil tank market oil tank market.");
            writer.upsert(a.id, ctx_->builder().build(a, tg));
        }
        writer.commit();
    }
    const auto live_before = ctx_->data_dir().live_generation();

    auto progress = silent("reindex");
    auto refused = run_reindex(*ctx_, ReindexJobOptions{}, progress, no_cancel_);
    ASSERT_TRUE(refused) << refused.error().message;
    EXPECT_EQ(refused->outcome, JobOutcome::refused);
    EXPECT_GT(refused->diff.mean_disagreement, config_.indexer.reindex_max_diff);
    EXPECT_EQ(ctx_->data_dir().live_generation(), live_before);
    // The refused generation is kept for inspection.
    EXPECT_TRUE(std::filesystem::exists(ctx_->data_dir().generation_path(refused->generation)));
    const auto& oil = refused->diff.queries.at(0);
    EXPECT_EQ(oil.query, "oil");
    EXPECT_FALSE(oil.lost.empty());
    EXPECT_FALSE(oil.gained.empty());

    ReindexJobOptions force;
    force.force = true;
    auto progress2 = silent("reindex");
    auto forced = run_reindex(*ctx_, force, progress2, no_cancel_);
    ASSERT_TRUE(forced) << forced.error().message;
    EXPECT_EQ(forced->outcome, JobOutcome::published);
    EXPECT_EQ(ctx_->data_dir().live_generation(), forced->generation);
    EXPECT_EQ(ids_in(live_path()).count("stale0"), 0u);
}

TEST_F(ReindexJobTest, NoSwapBuildsButLeavesLiveAlone) {
    upsert(corpus(10));
    index_live();
    const auto live_before = ctx_->data_dir().live_generation();
    ReindexJobOptions options;
    options.no_swap = true;
    auto progress = silent("reindex");
    auto result = run_reindex(*ctx_, options, progress, no_cancel_);
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->outcome, JobOutcome::built);
    EXPECT_EQ(ctx_->data_dir().live_generation(), live_before);
    EXPECT_EQ(ids_in(ctx_->data_dir().generation_path(result->generation)).size(), 10u);
}

TEST_F(ReindexJobTest, CancelRemovesThePartialGenerationAndLeavesLiveUntouched) {
    upsert(corpus(40));
    index_live();
    const auto live_before = ctx_->data_dir().live_generation();
    const auto gens_before = ctx_->data_dir().list_generations();
    const std::atomic<bool> cancelled{true};
    auto progress = silent("reindex");
    auto result = run_reindex(*ctx_, ReindexJobOptions{}, progress, cancelled);
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->outcome, JobOutcome::cancelled);
    EXPECT_EQ(ctx_->data_dir().live_generation(), live_before);
    EXPECT_EQ(ctx_->data_dir().list_generations(), gens_before);
    EXPECT_FALSE(std::filesystem::exists(build_dir(ctx_->data_dir(), result->generation)));
    EXPECT_EQ(ids_in(live_path()).size(), 40u);
}

TEST_F(ReindexJobTest, CancelDuringTheBuildStopsIt) {
    upsert(corpus(400));
    std::atomic<bool> cancel{false};
    // Cancel from the progress side once some documents are built: the shards must stop.
    auto progress = silent("reindex");
    std::thread canceller([&] {
        while (progress.snapshot().processed == 0) {
            std::this_thread::yield();
        }
        cancel.store(true);
    });
    auto result = run_reindex(*ctx_, ReindexJobOptions{}, progress, cancel);
    canceller.join();
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->outcome, JobOutcome::cancelled);
    EXPECT_FALSE(ctx_->data_dir().live_generation().has_value());
    EXPECT_TRUE(ctx_->data_dir().list_generations().empty());
}

TEST_F(ReindexJobTest, ExclusiveSectionWrapsThePublishAndCatchesUpLateArticles) {
    upsert(corpus(10));
    ReindexJobOptions options;
    int calls = 0;
    options.exclusive = [&](const std::function<void()>& critical) {
        ++calls;
        // An article acknowledged by the live writer while the job ran.
        upsert({article("late", "Late news", "Arrived during the reindex.")});
        critical();
    };
    auto progress = silent("reindex");
    auto result = run_reindex(*ctx_, options, progress, no_cancel_);
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(calls, 1);
    EXPECT_EQ(result->caught_up, 1u);
    EXPECT_EQ(ids_in(live_path()).count("late"), 1u);
}

TEST_F(ReindexJobTest, EmptyArchiveGivesAnEmptyPublishedGeneration) {
    auto progress = silent("reindex");
    auto result = run_reindex(*ctx_, ReindexJobOptions{}, progress, no_cancel_);
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->outcome, JobOutcome::published);
    EXPECT_EQ(result->documents, 0u);
    EXPECT_TRUE(result->diff_skipped);
}

} // namespace
} // namespace gazette::indexer::testing
