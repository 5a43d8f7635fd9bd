#include "indexer/jobs/compact_job.hpp"
#include "indexer/jobs/verify_job.hpp"
#include "indexer/writer.hpp"

#include "ops_test_support.hpp"

namespace gazette::indexer::testing {
namespace {

using CompactVerifyTest = OpsFixture;

TEST_F(CompactVerifyTest, CompactPublishesAnEquivalentGeneration) {
    upsert(corpus(50));
    index_live();
    for (int i = 0; i < 50; i += 2) {
        remove("a" + std::to_string(i)); // leave holes for compaction to squeeze
    }
    index_live();
    const auto before = live_path();
    Progress progress("compact", 0, nullptr);
    auto result = run_compact(*ctx_, CompactJobOptions{}, progress, no_cancel_);
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->outcome, JobOutcome::published);
    EXPECT_EQ(result->documents, 25u);
    EXPECT_NE(live_path(), before);
    EXPECT_EQ(ids_in(live_path()), ids_in(before));
    EXPECT_GT(result->bytes_after, 0u);
    const Xapian::Database db(live_path().string());
    EXPECT_EQ(db.get_metadata(std::string(kMetaArchiveSeq)), std::to_string(ctx_->archive().last_seq()));
    auto report = run_verify(ctx_->data_dir(), ctx_->archive());
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_TRUE(report->ok()) << (report->problems.empty() ? "" : report->problems.front());
}

TEST_F(CompactVerifyTest, VerifyPassesOnAnUpToDateGeneration) {
    upsert(corpus(20));
    remove("a3");
    index_live();
    auto report = run_verify(ctx_->data_dir(), ctx_->archive());
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_TRUE(report->ok());
    EXPECT_EQ(report->documents, 19u);
    EXPECT_EQ(report->archive_ids, 19u);
    EXPECT_EQ(report->schema_version, std::to_string(schema::kSchemaVersion));
}

TEST_F(CompactVerifyTest, VerifyReportsMissingAndExtraIds) {
    upsert(corpus(10));
    index_live();
    {
        IndexWriter writer(live_path(), false);
        writer.remove("a4");
        Xapian::TermGenerator tg = ctx_->analyzer().make_term_generator("en");
        auto a = article("ghost", "Ghost", "Not in the archive.");
        writer.upsert(a.id, ctx_->builder().build(a, tg));
        writer.commit();
    }
    auto report = run_verify(ctx_->data_dir(), ctx_->archive());
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_FALSE(report->ok());
    EXPECT_EQ(report->missing_count, 1u);
    EXPECT_EQ(report->missing, std::vector<std::string>{"a4"});
    EXPECT_EQ(report->extra_count, 1u);
    EXPECT_EQ(report->extra, std::vector<std::string>{"ghost"});
}

TEST_F(CompactVerifyTest, VerifyIgnoresArchiveRecordsNotYetApplied) {
    upsert(corpus(5));
    index_live();
    upsert({article("pending", "Pending", "Archived, not yet indexed.")});
    auto report = run_verify(ctx_->data_dir(), ctx_->archive());
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_TRUE(report->ok());
    EXPECT_LT(report->index_seq, report->archive_seq);
}

TEST_F(CompactVerifyTest, VerifyFlagsAWrongSchemaVersion) {
    upsert(corpus(3));
    index_live();
    {
        Xapian::WritableDatabase db(live_path().string(), Xapian::DB_OPEN);
        db.set_metadata(std::string(schema::kMetaSchemaVersion), "0");
        db.commit();
    }
    auto report = run_verify(ctx_->data_dir(), ctx_->archive());
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_FALSE(report->ok());
    EXPECT_EQ(report->schema_version, "0");
}

TEST_F(CompactVerifyTest, NothingLiveIsAnError) {
    Progress progress("compact", 0, nullptr);
    auto compact = run_compact(*ctx_, CompactJobOptions{}, progress, no_cancel_);
    ASSERT_FALSE(compact);
    EXPECT_EQ(compact.error().code, ErrorCode::not_ready);
    auto report = run_verify(ctx_->data_dir(), ctx_->archive());
    ASSERT_FALSE(report);
    EXPECT_EQ(report.error().code, ErrorCode::not_found);
}

} // namespace
} // namespace gazette::indexer::testing
