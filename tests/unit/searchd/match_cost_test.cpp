// match_cost.hpp: which matches may skip Xapian's per-match timer.

#include "searchd/search/match_cost.hpp"

#include <gtest/gtest.h>
#include <xapian.h>

#include <limits>
#include <string>
#include <vector>

namespace gazette::searchd {
namespace {

Xapian::Query terms(Xapian::Query::op op, const std::vector<std::string>& words) {
    return Xapian::Query(op, words.begin(), words.end());
}

TEST(MatchCost, PlainTermsCostOneDoccountEach) {
    EXPECT_EQ(posting_bound(Xapian::Query("Zgas"), 10'000), 10'000U);
    EXPECT_EQ(posting_bound(terms(Xapian::Query::OP_OR, {"Zgas", "Zoil"}), 10'000), 20'000U);
    const Xapian::Query filtered(Xapian::Query::OP_FILTER, terms(Xapian::Query::OP_AND, {"Zgas", "Zoil"}),
                                 Xapian::Query("XTenergy"));
    EXPECT_EQ(posting_bound(filtered, 1'000), 3'000U);
    EXPECT_EQ(posting_bound(Xapian::Query(), 1'000'000), 0U);
}

TEST(MatchCost, PhrasesCountTheirPositionChecks) {
    EXPECT_EQ(posting_bound(terms(Xapian::Query::OP_PHRASE, {"power", "of", "siberia"}), 1'000), 12'000U);
    const Xapian::Query scaled(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query("Zgas"), 2.0);
    EXPECT_EQ(posting_bound(scaled, 1'000), 1'000U);
}

TEST(MatchCost, ExpansionsOfUnknownSizeAreUnbounded) {
    const Xapian::Query wildcard(Xapian::Query::OP_WILDCARD, "pipe");
    EXPECT_EQ(posting_bound(wildcard, 10), std::numeric_limits<std::uint64_t>::max());
    const Xapian::Query mixed(Xapian::Query::OP_OR, Xapian::Query("Zgas"), wildcard);
    EXPECT_FALSE(match_is_bounded(mixed, 10));
}

TEST(MatchCost, BigIndexesKeepTheTimer) {
    const auto two = terms(Xapian::Query::OP_OR, {"Zgas", "Zoil"});
    EXPECT_TRUE(match_is_bounded(two, 100'000));
    EXPECT_TRUE(match_is_bounded(two, 1'000'000));
    EXPECT_FALSE(match_is_bounded(two, 1'000'001));
    std::vector<std::string> many;
    for (int i = 0; i < 300; ++i) {
        many.push_back("Zt" + std::to_string(i));
    }
    EXPECT_FALSE(match_is_bounded(terms(Xapian::Query::OP_OR, many), 10'000));
    // No overflow on absurd sizes.
    EXPECT_FALSE(match_is_bounded(terms(Xapian::Query::OP_OR, many), std::numeric_limits<Xapian::doccount>::max()));
}

} // namespace
} // namespace gazette::searchd
