#include "indexer/jobs/retag_job.hpp"

#include "ops_test_support.hpp"

namespace gazette::indexer::testing {
namespace {

using RetagJobTest = OpsFixture;

TEST_F(RetagJobTest, TaxonomyEditChangesTopicsButNotText) {
    upsert(corpus(30));
    index_live();
    const auto before = live_path();
    // a1 mentions markets but not oil; a0 mentions oil and tanks.
    ASSERT_EQ(topics_of(before, "a1"), std::vector<std::string>{});
    ASSERT_EQ(topics_of(before, "a0"), (std::vector<std::string>{"energy", "military"}));
    const auto text_a0 = text_terms_of(before, "a0");
    const auto text_a1 = text_terms_of(before, "a1");

    // Now "energy" means markets, not oil.
    write_text(config_.topics_file, taxonomy("markets"));
    Progress progress("retag", 0, nullptr);
    auto result = run_retag(*ctx_, RetagJobOptions{}, progress, no_cancel_);
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->outcome, JobOutcome::published);
    EXPECT_EQ(result->documents, 30u);
    EXPECT_EQ(progress.snapshot().processed, 30u);
    EXPECT_GT(result->changed, 0u);
    EXPECT_LT(result->changed, 30u + 1);

    const auto after = live_path();
    EXPECT_NE(after, before);
    EXPECT_EQ(topics_of(after, "a1"), std::vector<std::string>{"energy"});
    EXPECT_EQ(topics_of(after, "a0"), (std::vector<std::string>{"energy", "military"}));
    EXPECT_EQ(text_terms_of(after, "a0"), text_a0);
    EXPECT_EQ(text_terms_of(after, "a1"), text_a1);
    // Stored data carries the new topics too (GET /articles shows them).
    const Xapian::Database db(after.string());
    const auto data = db.get_document(*db.postlist_begin("Qa1")).get_data();
    EXPECT_NE(data.find("\"energy\""), std::string::npos);
    // The old generation is untouched (rollback target).
    EXPECT_EQ(topics_of(before, "a1"), std::vector<std::string>{});
    EXPECT_EQ(ids_in(after), ids_in(before));
}

TEST_F(RetagJobTest, UnchangedTaxonomyRewritesNothing) {
    upsert(corpus(12));
    index_live();
    Progress progress("retag", 0, nullptr);
    auto result = run_retag(*ctx_, RetagJobOptions{}, progress, no_cancel_);
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->changed, 0u);
    EXPECT_EQ(result->documents, 12u);
}

TEST_F(RetagJobTest, BadTaxonomyIsAnErrorAndLeavesLiveAlone) {
    upsert(corpus(5));
    index_live();
    const auto live = ctx_->data_dir().live_generation();
    const auto gens = ctx_->data_dir().list_generations();
    write_text(config_.topics_file, "[[topic]]\nid = 3\n");
    Progress progress("retag", 0, nullptr);
    auto result = run_retag(*ctx_, RetagJobOptions{}, progress, no_cancel_);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::bad_config);
    EXPECT_EQ(ctx_->data_dir().live_generation(), live);
    EXPECT_EQ(ctx_->data_dir().list_generations(), gens);
}

TEST_F(RetagJobTest, NoLiveGenerationIsNotReady) {
    Progress progress("retag", 0, nullptr);
    auto result = run_retag(*ctx_, RetagJobOptions{}, progress, no_cancel_);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::not_ready);
}

TEST_F(RetagJobTest, CancelLeavesLiveUntouched) {
    upsert(corpus(10));
    index_live();
    const auto live = ctx_->data_dir().live_generation();
    const auto gens = ctx_->data_dir().list_generations();
    write_text(config_.topics_file, taxonomy("markets"));
    const std::atomic<bool> cancelled{true};
    Progress progress("retag", 0, nullptr);
    auto result = run_retag(*ctx_, RetagJobOptions{}, progress, cancelled);
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->outcome, JobOutcome::cancelled);
    EXPECT_EQ(ctx_->data_dir().live_generation(), live);
    EXPECT_EQ(ctx_->data_dir().list_generations(), gens);
}

TEST(TopicsDiffer, ComparesIdsOrderEditorAndStoredScore) {
    const std::vector<TopicScore> a{{"energy", 2.0, false}, {"trade", 1.0, true}};
    EXPECT_FALSE(topics_differ(a, a));
    EXPECT_FALSE(topics_differ(a, {{"energy", 2.0002, false}, {"trade", 1.0, true}})); // rounding of storage
    EXPECT_TRUE(topics_differ(a, {{"energy", 2.01, false}, {"trade", 1.0, true}}));
    EXPECT_TRUE(topics_differ(a, {{"trade", 1.0, true}, {"energy", 2.0, false}}));
    EXPECT_TRUE(topics_differ(a, {{"energy", 2.0, false}, {"trade", 1.0, false}}));
    EXPECT_TRUE(topics_differ(a, {{"energy", 2.0, false}}));
}

} // namespace
} // namespace gazette::indexer::testing
