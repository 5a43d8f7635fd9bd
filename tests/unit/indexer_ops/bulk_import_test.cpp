// `index` on a fresh data dir with a big input takes the bulk-import path: archive first, then
// the sharded build. These tests check it gives the same index as the single-writer path,
// dead-letters bad lines, and that later runs add to the live generation as usual.

#include "indexer/jobs/index_job.hpp"

#include "ops_test_support.hpp"

#include <fmt/format.h>

namespace gazette::indexer::testing {
namespace {

using BulkImportTest = OpsFixture;

/// A JSON Lines file of `n` articles (ids b0..b{n-1}), one malformed line and one repeated id.
std::filesystem::path write_input(const std::filesystem::path& dir, std::size_t n) {
    std::string text;
    for (std::size_t i = 0; i < n; ++i) {
        text += fmt::format(R"({{"id":"b{}","title":"Report {}","body":"A tank and oil story number {}.","lang":"en"}})",
                            i, i, i);
        text += '\n';
        if (i == 3) {
            text += "{\"id\": \"broken\", \"title\": \n"; // malformed JSON: dead-lettered
        }
    }
    text += R"({"id":"b0","title":"Report zero, revised","body":"Rewritten.","lang":"en"})";
    text += '\n';
    const auto path = dir / "input.jsonl";
    write_text(path, text);
    return path;
}

TEST_F(BulkImportTest, ArchivesFirstThenBuildsAndPublishesAGeneration) {
    const auto input = write_input(tmp_.path(), 200);
    const auto summary = run_index(*ctx_, {input}, nullptr, BulkMode::always);
    EXPECT_TRUE(summary.bulk);
    EXPECT_EQ(summary.indexed, 201u) << "every valid line, the repeated id included";
    EXPECT_EQ(summary.rejected, 1u);
    ASSERT_EQ(ctx_->data_dir().live_generation(), summary.generation);

    const auto ids = ids_in(live_path());
    EXPECT_EQ(ids.size(), 200u) << "upsert by id: the repeated b0 replaced, not duplicated";
    EXPECT_EQ(ids.count("b199"), 1u);
    EXPECT_EQ(ids.count("broken"), 0u);
    EXPECT_EQ(ctx_->archive().last_seq(), 201u) << "durable in the archive";
    const Xapian::Database db(live_path().string());
    Xapian::Enquire enquire(db);
    enquire.set_query(Xapian::Query(std::string(schema::kIdPrefix) + "b0"));
    const auto mset = enquire.get_mset(0, 1);
    ASSERT_EQ(mset.size(), 1u);
    EXPECT_NE(mset.begin().get_document().get_data().find("revised"), std::string::npos)
        << "the later version of b0 wins";
}

TEST_F(BulkImportTest, AutomaticOnlyOnAFreshDataDirWithABigInput) {
    // Small input: single-writer path even on a fresh data dir.
    const auto small = write_input(tmp_.path(), 10);
    const auto first = run_index(*ctx_, {small}, nullptr, BulkMode::automatic);
    EXPECT_FALSE(first.bulk);
    EXPECT_EQ(ids_in(live_path()).size(), 10u);

    // A live generation exists now: automatic never rebuilds it, it adds to it.
    const auto second = run_index(*ctx_, {write_input(tmp_.path(), 30)}, nullptr, BulkMode::automatic);
    EXPECT_FALSE(second.bulk);
    EXPECT_EQ(second.generation, first.generation);
    EXPECT_EQ(ids_in(live_path()).size(), 30u);
}

} // namespace
} // namespace gazette::indexer::testing
