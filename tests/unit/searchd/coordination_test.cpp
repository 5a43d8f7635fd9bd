// Coordination (searchd/search/coordination.hpp): which queries are rewritten, how the bonus
// is sized, and that the rewritten queries rank by matched clauses first, on real Xapian
// databases.
#include "searchd/search/coordination.hpp"

#include "common/analyzer.hpp"
#include "common/config.hpp"
#include "searchd/search/weighting.hpp"
#include "test_index.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>

namespace gazette::searchd {
namespace {

class CoordinationTest : public ::testing::Test {
protected:
    CoordinationTest()
        : analyzer_(AnalysisConfig{}), db_((tmp_.path() / "db").string(), Xapian::DB_CREATE_OR_OPEN) {}

    Xapian::Query parse(const std::string& q) {
        Xapian::QueryParser qp = analyzer_.make_query_parser("en", db_);
        qp.set_default_op(Xapian::Query::OP_OR);
        return qp.parse_query(q, analyzer_.query_flags());
    }

    test::TempDir tmp_;
    Analyzer analyzer_;
    Xapian::WritableDatabase db_;
};

TEST_F(CoordinationTest, RewritesTheTopLevelOrAndSizesTheBonusAboveAllBm25) {
    const Xapian::Query text = parse("gas pipeline");
    const CoordinatedQuery c = coordinate(text, 100000);
    EXPECT_EQ(c.clauses, 2u);
    const double bound = bm25_weight_bound(text, 100000);
    EXPECT_GT(c.bonus, bound) << "one clause must outweigh all the BM25 a query can add";
    EXPECT_DOUBLE_EQ(c.bonus, std::pow(10.0, std::ceil(std::log10(bound + 1.0)))) << "a power of ten";
    EXPECT_DOUBLE_EQ(c.all_clauses_bonus(), 2 * c.bonus);
    ASSERT_EQ(c.tiers.size(), 2u) << "both words, then exactly one";
    EXPECT_EQ(c.tiers[0].get_type(), Xapian::Query::OP_AND);
    EXPECT_EQ(c.tiers[1].get_type(), Xapian::Query::OP_AND_NOT);
    const Xapian::Query bonus = bonus_query(text, 100000);
    EXPECT_NE(bonus.get_description().find("FixedWeightPostingSource"), std::string::npos)
        << bonus.get_description();
}

TEST_F(CoordinationTest, BoundGrowsWithTheCollectionAndTheClauses) {
    EXPECT_LT(bm25_weight_bound(parse("gas"), 1000), bm25_weight_bound(parse("gas"), 1000000));
    EXPECT_DOUBLE_EQ(bm25_weight_bound(parse("gas pipeline china"), 1000), 3 * bm25_weight_bound(parse("gas"), 1000));
    // A phrase weighs each of its terms.
    EXPECT_DOUBLE_EQ(bm25_weight_bound(parse("\"power of siberia\""), 1000),
                     bm25_weight_bound(parse("power siberia"), 1000) * 1.5);
}

TEST_F(CoordinationTest, LeavesAloneWhatHasNoWordsToCount) {
    for (const std::string q : {"gas", "gas AND pipeline", "\"power of siberia\""}) {
        const CoordinatedQuery c = coordinate(parse(q), 1000);
        EXPECT_EQ(c.bonus, 0) << q;
        EXPECT_TRUE(c.tiers.empty()) << q;
        EXPECT_EQ(bonus_query(parse(q), 1000).get_description(), parse(q).get_description()) << q;
    }
}

TEST_F(CoordinationTest, LongQueriesKeepPlainBm25) {
    const Xapian::Query text = parse("gas pipeline china russia europe");
    EXPECT_EQ(coordinate(text, 1000, 4).bonus, 0) << "five words, at most four coordinated";
    EXPECT_GT(coordinate(text, 1000, 5).bonus, 0);
    EXPECT_EQ(coordinate(parse("a1 a2 a3 a4 a5 a6 a7"), 1000, 100).bonus, 0)
        << "never more than kMaxCoordinatedClauses: the tiers enumerate subsets";
}

TEST_F(CoordinationTest, LooksThroughNotFiltersAndMustWords) {
    // gas pipeline -russia: AND_NOT(OR(gas, pipeline), russia)
    const CoordinatedQuery not_q = coordinate(parse("gas pipeline -russia"), 1000);
    EXPECT_EQ(not_q.clauses, 2u);
    EXPECT_EQ(bonus_query(parse("gas pipeline -russia"), 1000).get_type(), Xapian::Query::OP_AND_NOT);
    ASSERT_EQ(not_q.tiers.size(), 2u);
    EXPECT_EQ(not_q.tiers[0].get_type(), Xapian::Query::OP_AND_NOT) << "each tier keeps the NOT";
    // +gas pipeline china: AND_MAYBE(gas, OR(pipeline, china)); the all-clauses form requires all.
    const CoordinatedQuery must = coordinate(parse("+gas pipeline china"), 1000);
    EXPECT_EQ(must.clauses, 2u);
    EXPECT_EQ(bonus_query(parse("+gas pipeline china"), 1000).get_type(), Xapian::Query::OP_AND_MAYBE);
    ASSERT_EQ(must.tiers.size(), 3u) << "both optional words, one, none";
    EXPECT_EQ(must.tiers[0].get_type(), Xapian::Query::OP_AND);
    EXPECT_EQ(must.tiers[2].get_type(), Xapian::Query::OP_AND_NOT);
}

TEST_F(CoordinationTest, SynonymGroupsAndPhrasesAreOneClauseEach) {
    const CoordinatedQuery c = coordinate(parse("\"power of siberia\" pipeline"), 1000);
    EXPECT_EQ(c.clauses, 2u);
}

TEST_F(CoordinationTest, ASynonymGroupIsOneClauseAlthoughXapianFlattensIt) {
    // Synonyms::expand turns "eu sanctions" into this; Xapian flattens it into one OR of three.
    const Xapian::Query text = parse("(eu OR \"european union\") sanctions");
    ASSERT_EQ(text.get_num_subqueries(), 3u) << text.get_description();
    EXPECT_EQ(coordinate(text, 1000).clauses, 3u) << "without the groups every alternative counts";
    Xapian::QueryParser qp = analyzer_.make_query_parser("en", db_);
    const auto groups = synonym_term_groups(qp, analyzer_.query_flags(), {"eu OR \"european union\""});
    ASSERT_EQ(groups.size(), 1u);
    const CoordinatedQuery c = coordinate(text, 1000, 4, &groups);
    EXPECT_EQ(c.clauses, 2u) << "the group and sanctions";
    ASSERT_EQ(c.tiers.size(), 2u);
    // Three synonyms and a word are two clauses, under the four-word limit.
    const Xapian::Query usa = parse("(usa OR \"united states\" OR america) sanctions");
    const auto usa_groups = synonym_term_groups(qp, analyzer_.query_flags(), {"usa OR \"united states\" OR america"});
    EXPECT_EQ(coordinate(usa, 1000, 4, &usa_groups).clauses, 2u);
}

/// A real index where BM25 alone ranks a one-word article above two-word articles.
class CoordinatedRankingTest : public CoordinationTest {
protected:
    CoordinatedRankingTest() {
        Xapian::TermGenerator tg = analyzer_.make_term_generator("en");
        auto add = [&](const std::string& text) {
            Xapian::Document doc;
            tg.set_document(doc);
            tg.index_text(text);
            db_.add_document(doc);
        };
        std::string filler;
        for (int i = 0; i < 60; ++i) {
            filler += " report meeting statement week";
        }
        add("pipeline pipeline pipeline pipeline pipeline"); // 1: one rare word, short and dense
        add("gas pipeline" + filler);                         // 2: both words, long
        add("gas and a pipeline" + filler + filler);          // 3: both words, longer
        for (int i = 0; i < 40; ++i) {
            add("gas prices" + filler);                       // common word
        }
        db_.commit();
    }

    std::vector<std::pair<Xapian::docid, double>> rank(const Xapian::Query& q, Xapian::doccount n,
                                                       Xapian::doccount check) {
        Xapian::Enquire e(db_);
        e.set_weighting_scheme(ranking_weight());
        e.set_query(q);
        std::vector<std::pair<Xapian::docid, double>> out;
        const Xapian::MSet m = e.get_mset(0, n, check);
        for (auto it = m.begin(); it != m.end(); ++it) {
            out.emplace_back(*it, it.get_weight());
        }
        return out;
    }
};

TEST_F(CoordinatedRankingTest, PlainBm25PutsTheOneWordArticleFirst) {
    // The premise of the next test: without coordination this ranking breaks the SPEC's
    // "articles matching more of the words first".
    const auto plain = rank(parse("gas pipeline"), 3, db_.get_doccount());
    ASSERT_FALSE(plain.empty());
    EXPECT_EQ(plain.front().first, 1u);
}

TEST_F(CoordinatedRankingTest, ArticlesMatchingMoreClausesRankFirstThenByBm25) {
    const Xapian::Query text = parse("gas pipeline");
    const CoordinatedQuery c = coordinate(text, db_.get_doccount());
    const auto ranked = rank(bonus_query(text, db_.get_doccount()), 10, db_.get_doccount());
    ASSERT_GE(ranked.size(), 3u);
    EXPECT_EQ(ranked[0].first, 2u);
    EXPECT_EQ(ranked[1].first, 3u);
    EXPECT_EQ(ranked[2].first, 1u) << "the one-word article follows every two-word one";
    // Scores read as clauses x bonus + BM25, and the BM25 part is the plain query's.
    const auto plain = rank(text, db_.get_doccount(), db_.get_doccount());
    std::map<Xapian::docid, double> bm25(plain.begin(), plain.end());
    EXPECT_NEAR(ranked[0].second, 2 * c.bonus + bm25[2], 1e-9);
    EXPECT_NEAR(ranked[2].second, 1 * c.bonus + bm25[1], 1e-9);
    // The first tier gives the same top articles, in the same order, with plain weights.
    const auto all = rank(c.tiers.front(), 10, db_.get_doccount());
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].first, ranked[0].first);
    EXPECT_EQ(all[1].first, ranked[1].first);
    EXPECT_NEAR(all[0].second + c.all_clauses_bonus(), ranked[0].second, 1e-9);
}

TEST_F(CoordinatedRankingTest, TierPagesAreSlicesOfTheBonusRanking) {
    // What /search runs (match_tiers) against the bonus query's full ranking, for random
    // 2-4 word queries, with NOT and +must words, at several offsets: same articles, same
    // order, same scores.
    const std::vector<std::string> words{"gas", "pipeline", "prices", "report", "meeting", "statement", "week"};
    std::mt19937 rng(5);
    int pages = 0;
    for (int i = 0; i < 90; ++i) {
        std::string q;
        const int n = 2 + i % 3;
        for (int k = 0; k < n; ++k) {
            q += words[rng() % words.size()] + " ";
        }
        if (i % 3 == 1) {
            q = "+" + q;
        } else if (i % 3 == 2) {
            q += "-" + words[rng() % words.size()];
        }
        QueryPlan plan;
        plan.text = parse(q);
        plan.filtered = plan.text;
        const CoordinatedQuery c = coordinate(plan.text, db_.get_doccount());
        if (c.bonus == 0) {
            continue; // a repeated word can leave one clause
        }
        const auto full = rank(bonus_query(plan.text, db_.get_doccount()), db_.get_doccount(), db_.get_doccount());
        for (std::size_t offset : {0u, 1u, 2u, 5u}) {
            Xapian::Enquire e(db_);
            e.set_weighting_scheme(ranking_weight());
            Xapian::MSet first;
            const SliceResult page = match_tiers(e, c, plan, offset, 3, first);
            const std::size_t want = full.size() > offset ? std::min<std::size_t>(3, full.size() - offset) : 0;
            ASSERT_EQ(page.top.size(), want) << q << " offset " << offset;
            for (std::size_t j = 0; j < page.top.size(); ++j) {
                EXPECT_EQ(page.top[j].second, full[offset + j].first) << q << " offset " << offset << " rank " << j;
                EXPECT_NEAR(page.top[j].first, full[offset + j].second, 1e-9) << q;
            }
            ++pages;
        }
    }
    EXPECT_GT(pages, 200);
}

TEST_F(CoordinatedRankingTest, ExhaustivePagesAgreeWithTheFullRanking) {
    // The oracle itself: with check_at_least = all, every page of the bonus query for random
    // 2-4 word queries is a slice of its full ranking.
    const std::vector<std::string> words{"gas", "pipeline", "prices", "report", "meeting", "statement", "week"};
    std::mt19937 rng(11);
    for (int i = 0; i < 60; ++i) {
        std::string q;
        const int n = 2 + i % 3;
        for (int k = 0; k < n; ++k) {
            q += words[rng() % words.size()] + " ";
        }
        const Xapian::Query bonus = bonus_query(parse(q), db_.get_doccount());
        const auto full = rank(bonus, db_.get_doccount(), db_.get_doccount());
        for (Xapian::doccount offset : {0u, 2u, 5u}) {
            Xapian::Enquire e(db_);
            e.set_weighting_scheme(ranking_weight());
            e.set_query(bonus);
            const Xapian::MSet m = e.get_mset(offset, 3, db_.get_doccount());
            Xapian::doccount at = offset;
            for (auto it = m.begin(); it != m.end(); ++it, ++at) {
                ASSERT_LT(at, full.size()) << q;
                EXPECT_EQ(*it, full[at].first) << q << " offset " << offset;
            }
        }
    }
}

} // namespace
} // namespace gazette::searchd
