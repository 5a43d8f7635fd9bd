#include "indexer/jobs/ranking_diff.hpp"
#include "indexer/jobs/retention.hpp"

#include <gtest/gtest.h>

namespace gazette::indexer {
namespace {

using Ids = std::vector<std::string>;

TEST(RankingDiff, IdenticalOrReorderedTopsAgree) {
    EXPECT_DOUBLE_EQ(diff_top("q", {"a", "b", "c"}, {"a", "b", "c"}).disagreement(), 0.0);
    EXPECT_DOUBLE_EQ(diff_top("q", {"a", "b", "c"}, {"c", "a", "b"}).disagreement(), 0.0);
    EXPECT_DOUBLE_EQ(diff_top("q", {}, {}).disagreement(), 0.0);
}

TEST(RankingDiff, CountsGainedAndLostHits) {
    const auto d = diff_top("q", {"a", "b", "c", "d"}, {"a", "b", "x", "y"});
    EXPECT_DOUBLE_EQ(d.overlap, 0.5);
    EXPECT_EQ(d.gained, (Ids{"x", "y"}));
    EXPECT_EQ(d.lost, (Ids{"c", "d"}));
}

TEST(RankingDiff, DisjointOrOneSidedTopsDisagreeFully) {
    EXPECT_DOUBLE_EQ(diff_top("q", {"a"}, {"b"}).disagreement(), 1.0);
    EXPECT_DOUBLE_EQ(diff_top("q", {"a", "b"}, {}).disagreement(), 1.0);
    // A shorter candidate list is penalised by the longer one's size.
    EXPECT_DOUBLE_EQ(diff_top("q", {"a", "b", "c", "d"}, {"a"}).overlap, 0.25);
}

TEST(Retention, KeepsNewestAndLive) {
    const Ids gens{"g000001", "g000002", "g000003", "g000004", "g000005"};
    EXPECT_EQ(generations_to_delete(gens, "g000005", 3), (Ids{"g000001", "g000002"}));
    // After a rollback the live generation may be old: it is kept on top of the newest N.
    EXPECT_EQ(generations_to_delete(gens, "g000001", 2), (Ids{"g000002", "g000003"}));
    EXPECT_EQ(generations_to_delete(gens, "g000005", 10), Ids{});
    // keep = 0 still keeps one.
    EXPECT_EQ(generations_to_delete(gens, "g000005", 0), (Ids{"g000001", "g000002", "g000003", "g000004"}));
    EXPECT_EQ(generations_to_delete({}, "", 3), Ids{});
}

} // namespace
} // namespace gazette::indexer
