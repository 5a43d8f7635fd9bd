// The posting-list match-set evaluator against Xapian's own matcher, on real databases: the
// same documents for every boolean query shape, the same facet counts, and a fallback (nullopt)
// for shapes it must not evaluate. Then the whole Searcher with and without match sets.

#include "common/analyzer.hpp"
#include "common/schema.hpp"
#include "searchd/search/facet_columns.hpp"
#include "searchd/search/facets.hpp"
#include "searchd/search/generation_watcher.hpp"
#include "searchd/search/match_set.hpp"
#include "searchd/search/searcher.hpp"
#include "test_index.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <thread>

namespace gazette::searchd {
namespace {

using namespace std::chrono_literals;

const std::vector<std::string> kWords = {"gas", "oil", "pipeline", "talks", "navy", "tariff", "coal", "wind"};
const std::vector<std::string> kTopics = {"energy", "trade", "military", "diplomacy", "sanctions"};
const std::vector<std::string> kSources = {"Reuters", "AP", "Bloomberg", "TASS"};

/// A random corpus: bodies from a small vocabulary (so terms overlap a lot), 0-3 topics, 0-2
/// of ~300 authors (more values than FacetColumns::kBitmapValues, so authors are counted from
/// rows and the other fields from per-value bitmaps, or rows for small sets), 0-1 tag, a
/// fifth undated. Deterministic (seeded).
std::vector<Article> random_corpus(std::size_t n, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    auto pick = [&](const std::vector<std::string>& v) { return v[rng() % v.size()]; };
    std::vector<Article> out;
    for (std::size_t i = 0; i < n; ++i) {
        std::string body;
        const std::size_t words = 1 + rng() % 5;
        for (std::size_t w = 0; w < words; ++w) {
            body += pick(kWords) + " ";
        }
        std::vector<std::string> topics;
        for (std::size_t t = rng() % 4; t > 0; --t) {
            topics.push_back(pick(kTopics));
        }
        std::sort(topics.begin(), topics.end());
        topics.erase(std::unique(topics.begin(), topics.end()), topics.end());
        std::vector<std::string> authors;
        for (std::size_t a = rng() % 3; a > 0; --a) {
            // More distinct authors than FacetColumns::kBitmapValues: rows, not bitmaps.
            authors.push_back("Author " + std::to_string(rng() % 300));
        }
        std::sort(authors.begin(), authors.end());
        authors.erase(std::unique(authors.begin(), authors.end()), authors.end());
        std::vector<std::string> tags;
        if (rng() % 2 == 0) {
            tags.push_back(pick(kWords));
        }
        const std::string date = rng() % 5 == 0 ? std::string()
                                                : std::to_string(2020 + rng() % 5) + "-0" +
                                                      std::to_string(1 + rng() % 9) + "-1" +
                                                      std::to_string(rng() % 10);
        out.push_back(test::make_article("d" + std::to_string(i), "Title " + pick(kWords), body, date,
                                         pick(kSources), topics, authors, tags, rng() % 7 == 0 ? "de" : "en"));
    }
    return out;
}

std::string topic_term(const std::string& t) { return std::string(schema::kTopicPrefix) + t; }
std::string source_term(const std::string& s) {
    std::string lower = s;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return std::string(schema::kSourcePrefix) + lower;
}

/// What Xapian's matcher enumerates for `q` (unweighted, every match).
std::set<Xapian::docid> matcher_set(const Xapian::Database& db, const Xapian::Query& q) {
    Xapian::Enquire e(db);
    e.set_query(q);
    e.set_weighting_scheme(Xapian::BoolWeight());
    const Xapian::MSet m = e.get_mset(0, db.get_doccount() + 1);
    std::set<Xapian::docid> out;
    for (auto it = m.begin(); it != m.end(); ++it) {
        out.insert(*it);
    }
    return out;
}

std::set<Xapian::docid> members(const DocSet& s) {
    std::set<Xapian::docid> out;
    s.for_each([&](Xapian::docid d) { out.insert(d); });
    return out;
}

std::map<std::string, std::uint64_t> as_map(const std::vector<FacetCount>& v) {
    std::map<std::string, std::uint64_t> m;
    for (const auto& c : v) {
        m[c.value] = c.count;
    }
    return m;
}

const std::vector<FacetField> kAllFields = {FacetField::topic, FacetField::source, FacetField::author, FacetField::lang,
                                            FacetField::tag,   FacetField::year,   FacetField::month};

class MatchSetTest : public ::testing::Test {
protected:
    MatchSetTest() : config_(test::test_config(tmp_.path())), analyzer_(config_.analysis), data_dir_(tmp_.path()) {
        test::build_generation(data_dir_, analyzer_, "g000001", random_corpus(600, 7));
        // Deleted documents leave docid gaps: MatchAll must not invent them.
        Xapian::WritableDatabase w(data_dir_.generation_path("g000001").string(), Xapian::DB_OPEN);
        for (int i = 0; i < 600; i += 13) {
            w.delete_document("Qd" + std::to_string(i));
        }
        w.commit();
        w.close();
        db_ = Xapian::Database(data_dir_.generation_path("g000001").string());
        columns_ = FacetColumns::build(db_, "g000001");
    }

    /// Random boolean query trees over body terms, topic/source filter terms, date filters,
    /// MatchAll and MatchNothing, with every operator the evaluator supports.
    Xapian::Query random_query(std::mt19937_64& rng, int depth) {
        if (depth == 0 || rng() % 4 == 0) {
            switch (rng() % 9) {
            case 8: {
                auto date = [&] { return std::to_string(20200101 + 10000 * (rng() % 5) + 100 * (rng() % 9) + rng() % 20); };
                const std::string a = date();
                const std::string b = date();
                switch (rng() % 3) {
                case 0:
                    return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kSlotDate, std::min(a, b), std::max(a, b));
                case 1:
                    return Xapian::Query(Xapian::Query::OP_VALUE_GE, schema::kSlotDate, a);
                default:
                    return Xapian::Query(Xapian::Query::OP_VALUE_LE, schema::kSlotDate, a);
                }
            }
            case 0:
                return Xapian::Query(topic_term(kTopics[rng() % kTopics.size()]));
            case 1:
                return Xapian::Query(source_term(kSources[rng() % kSources.size()]));
            case 2:
                return rng() % 2 == 0 ? Xapian::Query::MatchAll : Xapian::Query::MatchNothing;
            case 3:
                return Xapian::Query("Znosuchterm");
            default:
                return Xapian::Query("Z" + analyzer_.stemmer("en")(kWords[rng() % kWords.size()]));
            }
        }
        static const Xapian::Query::op ops[] = {
            Xapian::Query::OP_AND,      Xapian::Query::OP_OR,     Xapian::Query::OP_AND_NOT,
            Xapian::Query::OP_XOR,      Xapian::Query::OP_AND_MAYBE, Xapian::Query::OP_FILTER,
            Xapian::Query::OP_SYNONYM,  Xapian::Query::OP_MAX,    Xapian::Query::OP_SCALE_WEIGHT};
        const auto op = ops[rng() % std::size(ops)];
        if (op == Xapian::Query::OP_SCALE_WEIGHT) {
            return Xapian::Query(op, random_query(rng, depth - 1), static_cast<double>(rng() % 3));
        }
        std::vector<Xapian::Query> subs;
        for (std::size_t n = 2 + rng() % 3; n > 0; --n) {
            subs.push_back(random_query(rng, depth - 1));
        }
        return Xapian::Query(op, subs.begin(), subs.end());
    }

    test::TempDir tmp_;
    Config config_;
    Analyzer analyzer_;
    DataDir data_dir_;
    Xapian::Database db_;
    std::shared_ptr<const FacetColumns> columns_;
};

TEST_F(MatchSetTest, DocSetOperations) {
    DocSet a(130);
    DocSet b(130);
    for (const Xapian::docid d : {1U, 63U, 64U, 65U, 128U, 130U}) {
        a.add(d);
    }
    for (const Xapian::docid d : {2U, 64U, 130U}) {
        b.add(d);
    }
    EXPECT_EQ(a.count(), 6U);
    EXPECT_TRUE(a.contains(130));
    EXPECT_FALSE(a.contains(129));
    EXPECT_FALSE(a.contains(0));
    DocSet u = a;
    u.unite(b);
    EXPECT_EQ(members(u), (std::set<Xapian::docid>{1, 2, 63, 64, 65, 128, 130}));
    DocSet i = a;
    i.intersect(b);
    EXPECT_EQ(members(i), (std::set<Xapian::docid>{64, 130}));
    DocSet s = a;
    s.subtract(b);
    EXPECT_EQ(members(s), (std::set<Xapian::docid>{1, 63, 65, 128}));
    DocSet x = a;
    x.exclusive(b);
    EXPECT_EQ(members(x), (std::set<Xapian::docid>{1, 2, 63, 65, 128}));
    for (const Xapian::docid last : {1U, 62U, 63U, 64U, 127U, 130U}) {
        DocSet all(last);
        all.fill();
        EXPECT_EQ(all.count(), last) << last;
        EXPECT_FALSE(all.contains(0));
        EXPECT_TRUE(all.contains(last));
        EXPECT_FALSE(all.contains(last + 1));
    }
}

TEST_F(MatchSetTest, SameDocumentsAsTheMatcherForRandomBooleanQueries) {
    std::mt19937_64 rng(11);
    MatchSetEvaluator evaluator(db_, columns_.get());
    std::size_t nonempty = 0;
    for (int i = 0; i < 300; ++i) {
        const Xapian::Query q = random_query(rng, 1 + i % 4);
        const auto got = evaluator.evaluate(q);
        ASSERT_TRUE(got) << q.get_description();
        const auto want = matcher_set(db_, q);
        ASSERT_EQ(members(*got), want) << q.get_description();
        EXPECT_EQ(got->count(), want.size());
        nonempty += want.empty() ? 0 : 1;
    }
    EXPECT_GT(nonempty, 100U); // the queries are not trivially empty
}

TEST_F(MatchSetTest, MatchAllSkipsDeletedDocuments) {
    MatchSetEvaluator evaluator(db_);
    const auto all = evaluator.evaluate(Xapian::Query::MatchAll);
    ASSERT_TRUE(all);
    EXPECT_EQ(all->count(), db_.get_doccount());
    EXPECT_LT(all->count(), db_.get_lastdocid());
    EXPECT_EQ(members(*all), matcher_set(db_, Xapian::Query::MatchAll));
}

TEST_F(MatchSetTest, UnsupportedShapesFallBack) {
    MatchSetEvaluator evaluator(db_);
    const Xapian::Query gas("Zgas");
    const Xapian::Query oil("Zoil");
    const std::vector<Xapian::Query> pair = {Xapian::Query("gas"), Xapian::Query("oil")};
    const Xapian::Query phrase(Xapian::Query::OP_PHRASE, pair.begin(), pair.end());
    const Xapian::Query near(Xapian::Query::OP_NEAR, pair.begin(), pair.end(), 3);
    const Xapian::Query range(Xapian::Query::OP_VALUE_RANGE, schema::kSlotDate, "20210101", "20221231");
    const Xapian::Query ge(Xapian::Query::OP_VALUE_GE, schema::kSlotDate, "20210101");
    const Xapian::Query wildcard(Xapian::Query::OP_WILDCARD, "Zpip");
    const std::vector<Xapian::Query> stems = {gas, oil};
    const Xapian::Query elite(Xapian::Query::OP_ELITE_SET, stems.begin(), stems.end(), 1);
    for (const Xapian::Query& q :
         {phrase, near, range, ge, wildcard, elite, Xapian::Query(Xapian::Query::OP_AND, gas, range),
          Xapian::Query(Xapian::Query::OP_OR, oil, phrase), Xapian::Query(Xapian::Query::OP_AND_NOT, gas, wildcard),
          Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, near, 2.0)}) {
        EXPECT_FALSE(evaluator.supported(q)) << q.get_description();
        EXPECT_FALSE(evaluator.evaluate(q)) << q.get_description();
    }
    // AND_MAYBE matches its left side only, so an unsupported right side does not matter.
    const Xapian::Query maybe(Xapian::Query::OP_AND_MAYBE, gas, phrase);
    ASSERT_TRUE(evaluator.evaluate(maybe));
    EXPECT_EQ(members(*evaluator.evaluate(maybe)), matcher_set(db_, maybe));
}

TEST_F(MatchSetTest, DateFiltersNeedTheDateColumnAndEightDigitBounds) {
    ASSERT_EQ(columns_->dates().size(), db_.get_lastdocid() + 1);
    const Xapian::Query range(Xapian::Query::OP_VALUE_RANGE, schema::kSlotDate, "20210101", "20221231");
    const Xapian::Query le(Xapian::Query::OP_VALUE_LE, schema::kSlotDate, "20220615");
    MatchSetEvaluator without(db_);
    EXPECT_FALSE(without.evaluate(range)); // no columns: the matcher does it
    MatchSetEvaluator with(db_, columns_.get());
    for (const Xapian::Query& q : {range, le, Xapian::Query(Xapian::Query::OP_AND_NOT, Xapian::Query("Zgas"), le)}) {
        const auto got = with.evaluate(q);
        ASSERT_TRUE(got) << q.get_description();
        const auto want = matcher_set(db_, q);
        EXPECT_FALSE(want.empty());
        EXPECT_EQ(members(*got), want) << q.get_description();
    }
    // Another slot, bounds that are not eight digits (string order differs), or a bound with a
    // space (ambiguous in the description): the matcher.
    for (const Xapian::Query& q :
         {Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kSlotYear, "20210101", "20221231"),
          Xapian::Query(Xapian::Query::OP_VALUE_GE, schema::kSlotDate, "2022"),
          Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kSlotDate, "20210101", "2022 1231"),
          Xapian::Query(Xapian::Query::OP_VALUE_LE, schema::kSlotDate, "2022123x")}) {
        EXPECT_FALSE(with.supported(q)) << q.get_description();
    }
}

TEST_F(MatchSetTest, FacetCountsEqualTheMatchSpyPass) {
    std::mt19937_64 rng(5);
    MatchSetEvaluator evaluator(db_, columns_.get());
    for (int i = 0; i < 60; ++i) {
        const Xapian::Query q = random_query(rng, 3);
        FacetSpy fast(kAllFields);
        fast.use_columns(columns_);
        const auto n = fast.count_matches(evaluator, q);
        ASSERT_TRUE(n) << q.get_description();

        // The matcher with the same columns, and the matcher reading document values.
        FacetSpy columnar(kAllFields);
        columnar.use_columns(columns_);
        FacetSpy values(kAllFields);
        Xapian::Enquire e(db_);
        e.set_query(q);
        e.set_weighting_scheme(Xapian::BoolWeight());
        e.add_matchspy(&columnar);
        e.add_matchspy(&values);
        const Xapian::MSet m = e.get_mset(0, 0, db_.get_doccount());
        EXPECT_EQ(*n, m.get_matches_estimated()) << q.get_description();
        EXPECT_EQ(fast.seen(), columnar.seen());
        for (const FacetField f : kAllFields) {
            EXPECT_EQ(as_map(fast.top(f, 1000)), as_map(columnar.top(f, 1000))) << facet_field_name(f);
            EXPECT_EQ(as_map(fast.top(f, 1000)), as_map(values.top(f, 1000))) << facet_field_name(f);
        }
    }
    // Without columns nothing is counted and the caller must run the matcher.
    FacetSpy none(kAllFields);
    EXPECT_FALSE(none.count_matches(evaluator, Xapian::Query("Zgas")));
    EXPECT_EQ(none.seen(), 0U);
}

/// The whole search path with match sets on and off: same totals, same (disjunctive) facets,
/// for boolean queries (evaluated) and phrases, NEAR and date ranges (matcher fallback).
TEST_F(MatchSetTest, SearcherGivesTheSameFacetsWithAndWithoutMatchSets) {
    data_dir_.publish_live("g000001");
    GenerationWatcher watcher(DataDir(tmp_.path()), 10ms);
    watcher.poll_once();
    FacetColumnsCache cache;
    Searcher searcher(SearchEnv{&config_, &analyzer_, &watcher, nullptr, nullptr, nullptr, &cache});
    SearchRequest warm;
    warm.facets = {FacetField::lang};
    for (int i = 0; i < 300 && cache.builds() == 0; ++i) {
        ASSERT_TRUE(searcher.search(warm));
        std::this_thread::sleep_for(10ms);
    }
    ASSERT_EQ(cache.builds(), 1U);

    struct Case {
        std::string q;
        std::vector<std::string> topics;
        std::vector<std::string> sources;
        std::string from;
        DefaultOp op = DefaultOp::op_or;
    };
    const std::vector<Case> cases = {
        {"gas oil", {}, {}, {}},
        {"gas oil", {"energy", "trade"}, {}, {}},
        {"gas oil", {"energy"}, {"Reuters"}, {}},
        {"gas NOT pipeline", {"military"}, {}, {}},
        {"gas pipeline", {}, {}, {}, DefaultOp::op_and},
        {"(wind OR coal) AND -talks", {}, {"AP", "TASS"}, {}},
        {"", {"sanctions"}, {}, {}},
        {"", {}, {}, {}},
        {"topic:energy navy", {}, {}, {}},
        {"\"gas oil\"", {"energy"}, {}, {}},      // phrase: matcher
        {"gas NEAR/2 oil", {}, {}, {}},           // NEAR: matcher
        {"gas", {}, {}, "2022-01-01"},            // date filter: the date column
        {"gas date:2021..2022", {}, {}, {}},      // the parser's date range
    };
    for (const Case& c : cases) {
        SearchRequest r;
        r.q = c.q;
        r.op = c.op;
        r.filters.topic = c.topics;
        r.filters.source = c.sources;
        r.filters.from = c.from;
        r.facets = kAllFields;
        r.facet_size = 1000;
        cache.set_match_sets(true);
        auto fast = searcher.search(r);
        cache.set_match_sets(false);
        auto slow = searcher.search(r);
        ASSERT_TRUE(fast) << c.q << ": " << fast.error().message;
        ASSERT_TRUE(slow) << c.q;
        EXPECT_EQ(fast->total.value, slow->total.value) << c.q;
        EXPECT_TRUE(fast->total.exact) << c.q;
        ASSERT_EQ(fast->facets.size(), slow->facets.size());
        for (std::size_t i = 0; i < fast->facets.size(); ++i) {
            EXPECT_EQ(as_map(fast->facets[i].values), as_map(slow->facets[i].values))
                << c.q << " " << facet_field_name(fast->facets[i].field);
        }
        if (c.q == "gas oil" && c.topics.size() == 2) {
            // Disjunctive: topic counts ignore the topic filter, so other topics show up.
            EXPECT_GT(as_map(fast->facets[0].values).count("military"), 0U);
        }
    }
    cache.set_match_sets(true);
}

} // namespace
} // namespace gazette::searchd
