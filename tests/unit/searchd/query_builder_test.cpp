#include "common/analyzer.hpp"
#include "searchd/search/query_builder.hpp"
#include "test_index.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace gazette::searchd {
namespace {

/// A real on-disk generation with the sample corpus; queries run against it.
class QueryBuilderTest : public ::testing::Test {
protected:
    QueryBuilderTest() : analyzer_(AnalysisConfig{}), data_dir_(tmp_.path()) {
        test::build_generation(data_dir_, analyzer_, "g000001", test::sample_corpus());
        db_ = Xapian::Database(data_dir_.generation_path("g000001").string());
    }

    Result<QueryPlan> plan(const SearchRequest& r) {
        Xapian::QueryParser qp = analyzer_.make_query_parser("en", db_);
        configure_query_parser(qp, limits_);
        return build_query_plan(qp, r, analyzer_.query_flags(), limits_);
    }

    /// Ids matching a request, sorted.
    std::vector<std::string> ids(const SearchRequest& r) {
        auto p = plan(r);
        EXPECT_TRUE(p) << (p ? "" : p.error().message);
        if (!p) {
            return {};
        }
        Xapian::Enquire e(db_);
        e.set_query(p->filtered);
        std::vector<std::string> out;
        const auto mset = e.get_mset(0, 100);
        for (auto it = mset.begin(); it != mset.end(); ++it) {
            auto a = article_from_json(it.get_document().get_data());
            out.push_back(a ? a->id : "?");
        }
        std::sort(out.begin(), out.end());
        return out;
    }

    static SearchRequest req(std::string q) {
        SearchRequest r;
        r.q = std::move(q);
        return r;
    }

    test::TempDir tmp_;
    Analyzer analyzer_;
    DataDir data_dir_;
    Xapian::Database db_;
    LimitsConfig limits_;
};

using V = std::vector<std::string>;

TEST_F(QueryBuilderTest, PlainWordsAndStemming) {
    EXPECT_EQ(ids(req("pipeline")), (V{"a1", "a5"}));
    EXPECT_EQ(ids(req("pipelines")), (V{"a1", "a5"}));
}

TEST_F(QueryBuilderTest, DefaultOperator) {
    SearchRequest r = req("gas sanctions");
    EXPECT_EQ(ids(r), (V{"a1", "a2", "a4", "a5"}));
    r.op = DefaultOp::op_and;
    EXPECT_TRUE(ids(r).empty());
    r.q = "gas pipelines";
    EXPECT_EQ(ids(r), (V{"a1", "a5"}));
}

TEST_F(QueryBuilderTest, AQueryOfOnlyExcludedClausesMeansEverythingElse) {
    // Xapian's parser drops the sign of a lone "-word" and returned exactly the excluded
    // articles; it now means every article except those.
    EXPECT_EQ(ids(req("-pipeline")), (V{"a2", "a3", "a4", "a6", "a7"}));
    EXPECT_EQ(ids(req("-pipeline -gas")), (V{"a2", "a3", "a6", "a7"}));
    EXPECT_EQ(ids(req("-\"power of siberia\"")), (V{"a2", "a3", "a4", "a5", "a6", "a7"}));
    EXPECT_EQ(ids(req("-title:pipeline")), (V{"a2", "a3", "a4", "a6", "a7"}));
    EXPECT_EQ(ids(req("gas -pipeline")), (V{"a4"})) << "with a positive word, the usual meaning";
}

TEST_F(QueryBuilderTest, CaseDoesNotChangeWhatMatches) {
    // Xapian's STEM_SOME does not stem capitalised words; Gazette folds case first.
    EXPECT_EQ(ids(req("Pipelines")), ids(req("pipelines")));
    EXPECT_EQ(ids(req("Pipelines")), (V{"a1", "a5"}));
    EXPECT_EQ(ids(req("SANCTIONS")), ids(req("sanctions")));
    EXPECT_EQ(ids(req("Gas AND Pipelines")), ids(req("gas AND pipelines")));
    EXPECT_EQ(ids(req("TOPIC:Energy")), ids(req("topic:energy")));
}

TEST(FoldQueryCase, FoldsWordsButNotOperators) {
    EXPECT_EQ(fold_query_case("Sanctions AND Gas NEAR/3 Pipeline OR \"Power Of Siberia\" NOT Газ"),
              "sanctions AND gas NEAR/3 pipeline OR \"power of siberia\" NOT газ");
    EXPECT_EQ(fold_query_case("(Oil OR Gas) ADJ/2 Prices XOR Tariffs"), "(oil OR gas) ADJ/2 prices XOR tariffs");
    EXPECT_EQ(fold_query_case("Title:Pipeline -Russia +EU date:2022..2023"), "title:pipeline -russia +eu date:2022..2023");
    EXPECT_EQ(fold_query_case("NEAR/x ANDY Ors"), "near/x andy ors") << "only the operators themselves";
}

TEST(PureNegation, RewritesOnlyQueriesMadeOfExcludedClauses) {
    EXPECT_EQ(pure_negation_as_not("-russia"), "NOT russia");
    EXPECT_EQ(pure_negation_as_not(" -(gas OR oil)  -\"black sea\" "), "NOT (gas OR oil) NOT \"black sea\"");
    EXPECT_EQ(pure_negation_as_not("gas -russia"), std::nullopt);
    EXPECT_EQ(pure_negation_as_not("-russia gas"), std::nullopt);
    EXPECT_EQ(pure_negation_as_not("-"), std::nullopt);
    EXPECT_EQ(pure_negation_as_not("--x"), std::nullopt);
    EXPECT_EQ(pure_negation_as_not("\"-x y\""), std::nullopt);
    EXPECT_EQ(pure_negation_as_not(""), std::nullopt);
}

TEST_F(QueryBuilderTest, EmptyQueryMatchesAll) { EXPECT_EQ(ids(req("")).size(), 7U); }

TEST_F(QueryBuilderTest, FiltersOrWithinAndAcross) {
    SearchRequest r = req("");
    r.filters.topic = {"energy"};
    EXPECT_EQ(ids(r), (V{"a1", "a2", "a5", "a6", "a7"}));
    r.filters.topic = {"military", "trade"};
    EXPECT_EQ(ids(r), (V{"a1", "a3", "a4"}));
    r.filters.source = {"ap"};
    EXPECT_EQ(ids(r), (V{"a3", "a4"}));
    r.filters.author = {"ANN LEE"};
    EXPECT_EQ(ids(r), (V{"a3"}));
    SearchRequest t = req("");
    t.filters.tag = {"Gas"};
    t.filters.lang = {"en"};
    EXPECT_EQ(ids(t), (V{"a1", "a5"}));
}

TEST_F(QueryBuilderTest, DateFilter) {
    SearchRequest r = req("");
    r.filters.from = "2023-01-01";
    r.filters.to = "2023-12-31";
    EXPECT_EQ(ids(r), (V{"a2", "a3"}));
    r.filters.to.clear();
    EXPECT_EQ(ids(r), (V{"a1", "a2", "a3", "a5", "a7"}));
}

TEST_F(QueryBuilderTest, FieldPrefixesInQuery) {
    EXPECT_EQ(ids(req("title:pipeline")), (V{"a1", "a5"})); // stemmed: "Pipelines"
    EXPECT_EQ(ids(req("title:china")), (V{"a1"}));
    EXPECT_EQ(ids(req("topic:diplomacy")), (V{"a3", "a4"}));
    EXPECT_EQ(ids(req("source:bloomberg")), (V{"a5", "a6"}));
    EXPECT_EQ(ids(req("author:stone")), (V{"a2"}));
    EXPECT_EQ(ids(req("lang:ru")), (V{"a7"}));
    EXPECT_EQ(ids(req("tag:tariffs")), (V{"a4"}));
}

TEST_F(QueryBuilderTest, DateRangeInQuery) {
    EXPECT_EQ(ids(req("date:2023-01-01..2023-12-31")), (V{"a2", "a3"}));
    EXPECT_EQ(ids(req("date:2024..")), (V{"a1", "a5", "a7"}));
    EXPECT_EQ(ids(req("date:..2022")), (V{"a4"}));
    EXPECT_EQ(ids(req("gas date:2024-01..2024-06")), (V{"a1", "a5"}));
    EXPECT_EQ(ids(req("date:2023-02..2023-02-01")), (V{"a2"})) << "a one-day range is not reversed";
}

TEST_F(QueryBuilderTest, PhraseAndBoolean) {
    EXPECT_EQ(ids(req("\"power of siberia\"")), (V{"a1"}));
    EXPECT_EQ(ids(req("gas NOT pipeline")), (V{"a4"}));
    EXPECT_EQ(ids(req("(oil OR tariffs) AND exports")), (V{"a2"}));
}

TEST_F(QueryBuilderTest, Wildcard) { EXPECT_EQ(ids(req("pipe*")), (V{"a1", "a5"})); }

TEST_F(QueryBuilderTest, WildcardLimitThrowsAtMatch) {
    limits_.max_wildcard_expansion = 1;
    auto p = plan(req("p*"));
    ASSERT_TRUE(p);
    Xapian::Enquire e(db_);
    e.set_query(p->filtered);
    EXPECT_THROW((void)e.get_mset(0, 10), Xapian::WildcardError);
}

TEST_F(QueryBuilderTest, ErrorsCarryPositions) {
    struct Bad {
        std::string q;
        ErrorCode code;
        long position;
    };
    for (const auto& b : std::vector<Bad>{
             {"gas )", ErrorCode::bad_query, 4},
             {"(gas OR oil", ErrorCode::bad_query, 0},
             {"gas \"pipe", ErrorCode::bad_query, 4},
             {"gas date:2020-13-45..2021", ErrorCode::bad_query, 9},
             {"gas date:2020..bogus", ErrorCode::bad_query, 15},
             {"gas date:2020", ErrorCode::bad_query, 9},
             {"gas date:2022-06-30..2022-06-01", ErrorCode::bad_query, 9}, // ends before it starts
             {"газ )", ErrorCode::bad_query, 4},
         }) {
        auto p = plan(req(b.q));
        ASSERT_FALSE(p) << b.q;
        EXPECT_EQ(p.error().code, b.code) << b.q;
        EXPECT_EQ(p.error().position, b.position) << b.q << ": " << p.error().message;
    }
}

TEST_F(QueryBuilderTest, Limits) {
    limits_.max_query_chars = 10;
    auto p = plan(req("this query is too long"));
    ASSERT_FALSE(p);
    EXPECT_EQ(p.error().code, ErrorCode::bad_request);

    limits_ = LimitsConfig{};
    limits_.max_query_depth = 3;
    p = plan(req("((((gas))))"));
    ASSERT_FALSE(p);
    EXPECT_EQ(p.error().code, ErrorCode::too_complex);

    limits_ = LimitsConfig{};
    limits_.max_query_terms = 3;
    p = plan(req("a1 b2 c3 d4 e5"));
    ASSERT_FALSE(p);
    EXPECT_EQ(p.error().code, ErrorCode::too_complex);
}

TEST_F(QueryBuilderTest, DisjunctivePlansDropOwnFilter) {
    SearchRequest r = req("");
    r.filters.topic = {"military"};
    r.filters.source = {"AP"};
    r.facets = {FacetField::topic, FacetField::year};
    auto p = plan(r);
    ASSERT_TRUE(p);
    ASSERT_EQ(p->disjunctive.size(), 1U); // source is not a requested facet
    EXPECT_EQ(p->disjunctive[0].first, FacetField::topic);
    Xapian::Enquire e(db_);
    e.set_query(p->disjunctive[0].second);
    EXPECT_EQ(e.get_mset(0, 100).size(), 2U); // AP articles, any topic
}

TEST(QueryShape, CountsTermsAndDepth) {
    const Xapian::Query q(Xapian::Query::OP_AND, Xapian::Query("a"),
                          Xapian::Query(Xapian::Query::OP_OR, Xapian::Query("b"), Xapian::Query("c")));
    const auto s = query_shape(q);
    EXPECT_EQ(s.terms, 3U);
    EXPECT_EQ(s.depth, 3U);
}

} // namespace
} // namespace gazette::searchd
