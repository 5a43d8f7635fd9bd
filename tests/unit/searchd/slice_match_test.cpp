// Parallel relevance matches (slice_match.hpp): a match split into docid slices on two threads
// must give exactly the page a single match gives, on a real on-disk generation.

#include "common/analyzer.hpp"
#include "searchd/search/docid_range.hpp"
#include "searchd/search/generation_watcher.hpp"
#include "searchd/search/searcher.hpp"
#include "searchd/search/slice_match.hpp"
#include "test_index.hpp"

#include <gtest/gtest.h>
#include <xapian.h>

#include <chrono>
#include <random>
#include <string>
#include <vector>

namespace gazette::searchd {
namespace {

using namespace std::chrono_literals;

/// ~600 articles over a small vocabulary (many ties, many matches), with deleted docids.
std::vector<Article> random_corpus(std::mt19937& rng) {
    const std::vector<std::string> words = {
        "pipeline", "gas",     "sanctions", "oil",      "energy",  "talks",   "navy",   "drills",
        "tariffs",  "exports", "china",     "europe",   "nuclear", "policy",  "market", "prices",
        "summit",   "treaty",  "minister",  "election", "budget",  "reactor", "grain",  "port"};
    std::vector<Article> out;
    for (int i = 0; i < 600; ++i) {
        std::string title = words[rng() % words.size()] + " " + words[rng() % words.size()];
        std::string body;
        const int n = 5 + static_cast<int>(rng() % 40);
        for (int w = 0; w < n; ++w) {
            body += words[rng() % words.size()] + (w % 9 == 8 ? ". " : " ");
        }
        const std::string date = "20" + std::to_string(10 + rng() % 14) + "-0" + std::to_string(1 + rng() % 9) + "-1" +
                                 std::to_string(rng() % 9);
        out.push_back(test::make_article("r" + std::to_string(i), title, body, date, i % 3 ? "Reuters" : "AP"));
    }
    return out;
}

class SliceMatchTest : public ::testing::Test {
protected:
    SliceMatchTest()
        : config_(test::test_config(tmp_.path())), analyzer_(config_.analysis), data_dir_(tmp_.path()),
          watcher_(DataDir(tmp_.path()), 10ms) {
        config_.searchd.parallel_min_docs = 1;
        std::mt19937 rng(11);
        test::build_generation(data_dir_, analyzer_, "g000001", random_corpus(rng));
        {
            // Leave docid gaps: slices must not assume every docid exists.
            Xapian::WritableDatabase db(data_dir_.generation_path("g000001").string(), Xapian::DB_OPEN);
            for (int i = 0; i < 600; i += 7) {
                db.delete_document("Qr" + std::to_string(i));
            }
            db.commit();
        }
        watcher_.poll_once();
    }

    Searcher make(SliceHelpers* slices) {
        SearchEnv env{&config_, &analyzer_, &watcher_, nullptr};
        env.slices = slices;
        return Searcher(env);
    }

    test::TempDir tmp_;
    Config config_;
    Analyzer analyzer_;
    DataDir data_dir_;
    GenerationWatcher watcher_;
};

TEST_F(SliceMatchTest, SlicedPagesEqualTheSingleMatch) {
    SliceHelpers helpers(1, 2);
    Searcher sliced = make(&helpers);
    Searcher single = make(nullptr);
    const std::vector<std::string> queries = {
        "gas",          "pipeline gas",       "sanctions OR oil OR talks", "energy AND prices",
        "\"gas pipeline\"", "nuclear NOT reactor", "pri*",              "market summit treaty grain port",
        "title:oil",    "source:ap gas",      "date:2015..2018 energy",   "zzzz"};
    const Xapian::Database db(data_dir_.generation_path("g000001").string());
    int compared = 0;
    for (const auto& q : queries) {
        for (const std::size_t offset : {0, 5, 20}) {
            SearchRequest r;
            r.q = q;
            r.offset = offset;
            r.limit = 10;
            r.facets.clear();
            r.snippet_chars = offset == 5 ? 80 : 0;
            auto a = sliced.search(r);
            auto b = single.search(r);
            ASSERT_TRUE(a && b) << q;
            ASSERT_EQ(a->hits.size(), b->hits.size()) << q << " offset " << offset;
            for (std::size_t i = 0; i < a->hits.size(); ++i) {
                EXPECT_EQ(a->hits[i].id, b->hits[i].id) << q << " offset " << offset << " rank " << i;
                EXPECT_EQ(a->hits[i].score, b->hits[i].score) << q << " rank " << i;
                EXPECT_EQ(a->hits[i].snippet, b->hits[i].snippet) << q << " rank " << i;
            }
            EXPECT_EQ(a->next_cursor.has_value(), b->next_cursor.has_value()) << q << " offset " << offset;
            // The sliced total is a sum of estimates: its bounds must hold the true count.
            EXPECT_LE(a->total.lower, b->total.upper) << q;
            EXPECT_GE(a->total.upper, b->total.lower) << q;
            if (b->total.exact) {
                EXPECT_LE(a->total.lower, b->total.value) << q;
                EXPECT_GE(a->total.upper, b->total.value) << q;
            }
            ++compared;
        }
    }
    EXPECT_EQ(compared, 36);
    EXPECT_GE(helpers.slices_run(), 30U) << "the helper ran the second slices";
}

TEST_F(SliceMatchTest, FacetsDateSortAndExplainAreNeverSliced) {
    SliceHelpers helpers(1, 2);
    Searcher sliced = make(&helpers);
    SearchRequest facets;
    facets.q = "gas";
    ASSERT_FALSE(facets.facets.empty()) << "facets are on by default";
    SearchRequest by_date;
    by_date.q = "gas";
    by_date.facets.clear();
    by_date.sort = SortOrder::date_desc;
    SearchRequest explain;
    explain.q = "gas";
    explain.facets.clear();
    explain.explain = true;
    for (const auto& r : {facets, by_date, explain}) {
        ASSERT_TRUE(sliced.search(r));
    }
    EXPECT_EQ(helpers.slices_run(), 0U);
}

TEST_F(SliceMatchTest, HelperRefusesAnotherRevisionAndABusyMachine) {
    SliceHelpers helpers(1, 2);
    const std::string path = data_dir_.generation_path("g000001").string();
    const Xapian::Database db(path);
    const Xapian::Query query("gas");
    const SliceSpec spec{1, db.get_lastdocid() + 1, 10, 0};
    auto stale = helpers.try_start(path, db.get_revision() + 1, query, spec);
    ASSERT_NE(stale, nullptr);
    EXPECT_FALSE(stale->wait().has_value()) << "a helper at another revision must not answer";
    auto ok = helpers.try_start(path, db.get_revision(), query, spec);
    ASSERT_NE(ok, nullptr);
    const auto result = ok->wait();
    ASSERT_TRUE(result.has_value());
    EXPECT_EQ(result->top, match_slice(db, query, spec).top);
    EXPECT_FALSE(result->top.empty());
    {
        SliceHelpers::InFlight one(&helpers);
        SliceHelpers::InFlight two(&helpers);
        EXPECT_EQ(helpers.try_start(path, db.get_revision(), query, spec), nullptr)
            << "two matches in flight on two cores: no split";
    }
}

TEST(DocidRange, SlicesPartitionTheMatchesAndMergeInXapianOrder) {
    test::TempDir tmp;
    const std::string path = (tmp.path() / "db").string();
    {
        Xapian::WritableDatabase w(path, Xapian::DB_CREATE);
        for (int i = 0; i < 100; ++i) {
            Xapian::Document d;
            d.add_term("all", 1);
            d.add_term(i % 2 ? "odd" : "even", 1 + static_cast<Xapian::termcount>(i % 5));
            w.add_document(d);
        }
        w.commit();
    }
    const Xapian::Database db(path);
    const Xapian::Query q(Xapian::Query::OP_OR, Xapian::Query("all"), Xapian::Query("odd"));
    std::vector<SliceResult> parts;
    for (Xapian::docid first = 1; first <= 100; first += 25) {
        const SliceResult part = match_slice(db, q, SliceSpec{first, first + 25, 30, 0});
        for (const auto& [w, did] : part.top) {
            EXPECT_GE(did, first);
            EXPECT_LT(did, first + 25);
        }
        parts.push_back(part);
    }
    Xapian::Enquire e(db);
    e.set_query(q);
    e.set_weighting_scheme(Xapian::BM25Weight(1.2, 0.0, 1.0, 0.75, 0.5));
    const Xapian::MSet whole = e.get_mset(10, 20);
    const SliceResult merged = merge_slices(parts, 10, 20);
    ASSERT_EQ(merged.top.size(), whole.size());
    std::size_t i = 0;
    for (auto it = whole.begin(); it != whole.end(); ++it, ++i) {
        EXPECT_EQ(merged.top[i].second, *it) << "rank " << i; // ties by docid, as Xapian
        EXPECT_EQ(merged.top[i].first, it.get_weight());
    }
}

} // namespace
} // namespace gazette::searchd
