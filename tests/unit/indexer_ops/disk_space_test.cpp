// disk_space.hpp: a reindex refuses at once when the disk cannot hold its runs and merged copy.

#include "indexer/jobs/disk_space.hpp"
#include "indexer/jobs/generation_files.hpp"
#include "indexer/jobs/reindex_job.hpp"
#include "ops_test_support.hpp"

#include <fstream>

namespace gazette::indexer::testing {
namespace {

using DiskSpaceTest = OpsFixture;

TEST(DiskSpace, NeedsAboutTwiceTheLiveGeneration) {
    EXPECT_EQ(reindex_bytes_needed(0), 0u);
    EXPECT_EQ(reindex_bytes_needed(20'000'000'000ULL), 44'000'000'000ULL);
    const auto tmp = std::filesystem::temp_directory_path();
    const auto probe = [](std::uint64_t free) { return [free](const std::filesystem::path&) { return free; }; };
    EXPECT_TRUE(check_reindex_space(tmp, 1'000'000'000, probe(2'200'000'000)));
    auto refused = check_reindex_space(tmp, 1'000'000'000, probe(2'199'999'999));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::conflict);
    // Both numbers and the way out are in the message.
    EXPECT_NE(refused.error().message.find("2.2 GB"), std::string::npos) << refused.error().message;
    EXPECT_NE(refused.error().message.find("1.0 GB"), std::string::npos);
    EXPECT_NE(refused.error().message.find("--skip-space-check"), std::string::npos);
    // Nothing live: nothing to estimate from, never refused.
    EXPECT_TRUE(check_reindex_space(tmp, 0, probe(0)));
    // The real probe sees a real file system.
    EXPECT_GT(available_bytes(tmp), 0u);
}

TEST(DiskSpace, DirectoryBytesCountsNestedFiles) {
    TempDir dir;
    std::filesystem::create_directories(dir.path() / "a" / "b");
    std::ofstream(dir.path() / "x.bin") << std::string(1000, 'x');
    std::ofstream(dir.path() / "a" / "b" / "y.bin") << std::string(234, 'y');
    EXPECT_EQ(directory_bytes(dir.path()), 1234u);
    EXPECT_EQ(directory_bytes(dir.path() / "missing"), 0u);
}

TEST_F(DiskSpaceTest, ReindexRefusesAtOnceAndLeavesNothingBehind) {
    upsert(corpus(40));
    index_live();
    const auto live = ctx_->data_dir().live_generation();
    ASSERT_TRUE(live);
    const auto generations = ctx_->data_dir().generation_path(*live).parent_path();
    const auto entries_before = std::distance(std::filesystem::directory_iterator(generations),
                                              std::filesystem::directory_iterator());
    ReindexJobOptions options;
    options.free_space = [](const std::filesystem::path&) { return std::uint64_t{1024}; };
    auto progress = Progress("reindex", 0, nullptr);
    auto refused = run_reindex(*ctx_, options, progress, no_cancel_);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::conflict);
    EXPECT_NE(refused.error().message.find("free"), std::string::npos);
    EXPECT_EQ(ctx_->data_dir().live_generation(), live);
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(generations), std::filesystem::directory_iterator()),
              entries_before); // no new generation, no scratch folder

    // The same job with the check off builds and publishes.
    options.check_space = false;
    auto built = run_reindex(*ctx_, options, progress, no_cancel_);
    ASSERT_TRUE(built) << built.error().message;
    EXPECT_EQ(built->outcome, JobOutcome::published);
}

} // namespace
} // namespace gazette::indexer::testing
