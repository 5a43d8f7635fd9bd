#include "common/analyzer.hpp"
#include "common/schema.hpp"
#include "searchd/search/cursor.hpp"
#include "searchd/search/facets.hpp"
#include "searchd/search/generation_watcher.hpp"
#include "searchd/search/result_cache.hpp"
#include "searchd/search/searcher.hpp"
#include "test_index.hpp"

#include <gtest/gtest.h>

#include <thread>

#include <algorithm>
#include <map>
#include <set>

namespace gazette::searchd {
namespace {

using namespace std::chrono_literals;

class SearcherTest : public ::testing::Test {
protected:
    SearcherTest()
        : config_(test::test_config(tmp_.path())), analyzer_(config_.analysis),
          data_dir_(tmp_.path()), watcher_(DataDir(tmp_.path()), 10ms) {}

    void publish(const std::string& gen, const std::vector<Article>& articles) {
        test::build_generation(data_dir_, analyzer_, gen, articles);
        watcher_.poll_once();
    }

    Searcher make() { return Searcher(SearchEnv{&config_, &analyzer_, &watcher_, nullptr}); }

    /// Upserts one article into generation `gen` and commits, as the indexer's writer does.
    void commit_article(const std::string& gen, const Article& a) {
        Xapian::WritableDatabase db(data_dir_.generation_path(gen).string(), Xapian::DB_OPEN);
        Xapian::TermGenerator tg = analyzer_.make_term_generator("en");
        db.replace_document("Q" + a.id, analyzer_.build_document(a, tg));
        db.commit();
    }

    static SearchRequest req(std::string q) {
        SearchRequest r;
        r.q = std::move(q);
        return r;
    }

    static std::map<std::string, std::uint64_t> facet(const SearchResult& r, FacetField f) {
        std::map<std::string, std::uint64_t> m;
        for (const auto& fr : r.facets) {
            if (fr.field == f) {
                for (const auto& c : fr.values) {
                    m[c.value] = c.count;
                }
            }
        }
        return m;
    }

    test::TempDir tmp_;
    Config config_;
    Analyzer analyzer_;
    DataDir data_dir_;
    GenerationWatcher watcher_;
};

TEST_F(SearcherTest, NotReadyWithoutLiveGeneration) {
    Searcher s = make();
    auto r = s.search(req("gas"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::not_ready);
}

TEST_F(SearcherTest, SearchReturnsHitsWithFields) {
    publish("g000001", test::sample_corpus());
    Searcher s = make();
    auto r = s.search(req("pipeline"));
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->generation, "g000001");
    EXPECT_EQ(r->total.value, 2U);
    EXPECT_TRUE(r->total.exact);
    ASSERT_EQ(r->hits.size(), 2U);
    EXPECT_GE(r->hits[0].score, r->hits[1].score);
    const Hit& h = r->hits[0].id == "a1" ? r->hits[0] : r->hits[1];
    EXPECT_EQ(h.id, "a1");
    EXPECT_EQ(h.title, "Gas pipeline to China");
    EXPECT_EQ(h.source, "Reuters");
    EXPECT_EQ(h.date, "2024-05-16");
    EXPECT_EQ(h.lang, "en");
    EXPECT_EQ(h.authors, (std::vector<std::string>{"Ann Lee"}));
    EXPECT_EQ(h.topics, (std::vector<std::string>{"energy", "trade"}));
    EXPECT_NE(h.snippet.find("<mark>pipeline</mark>"), std::string::npos) << h.snippet;
    EXPECT_GT(h.score, 0);
    EXPECT_FALSE(r->parsed.empty());
}

/// The fields every hit shows, for comparing two ways of reading them.
std::vector<std::string> hit_fields(const SearchResult& r) {
    std::vector<std::string> out;
    for (const auto& h : r.hits) {
        std::string row = h.id + "|" + h.title + "|" + h.url + "|" + h.source + "|" + h.date + "|" + h.lang;
        for (const auto& a : h.authors) {
            row += "|a:" + a;
        }
        for (const auto& t : h.topics) {
            row += "|t:" + t;
        }
        out.push_back(row);
    }
    return out;
}

TEST_F(SearcherTest, SummarySlotGivesTheSameHitsAsTheStoredArticle) {
    auto corpus = test::sample_corpus();
    corpus[0].title = "Gas <pipeline> & \"China\""; // escaping must match too
    corpus[0].url = "https://example.org/a1?x=1&y=2";
    publish("g000001", corpus);
    Searcher s = make();
    SearchRequest summary_path = req("gas OR sanctions OR drills OR note OR trade");
    summary_path.snippet_chars = 0;
    SearchRequest article_path = summary_path;
    article_path.snippet_chars = 80;
    auto a = s.search(summary_path);
    auto b = s.search(article_path);
    ASSERT_TRUE(a && b);
    ASSERT_GE(a->hits.size(), 6U);
    EXPECT_EQ(hit_fields(*a), hit_fields(*b));
    EXPECT_EQ(a->hits[0].snippet, "");
    const auto rows = hit_fields(*a);
    EXPECT_NE(std::find(rows.begin(), rows.end(),
                        "a1|Gas &lt;pipeline&gt; &amp; &quot;China&quot;|https://example.org/a1?x=1&y=2|Reuters|"
                        "2024-05-16|en|a:Ann Lee|t:energy|t:trade"),
              rows.end());
}

TEST_F(SearcherTest, GenerationWithoutSummarySlotFallsBackToTheStoredArticle) {
    publish("g000001", test::sample_corpus());
    Searcher s = make();
    SearchRequest r = req("gas OR pipeline OR trade");
    r.snippet_chars = 0;
    auto with_slot = s.search(r);
    ASSERT_TRUE(with_slot);
    {
        // A generation written before the slot existed: same documents, slot removed.
        Xapian::WritableDatabase db(data_dir_.generation_path("g000001").string(), Xapian::DB_OPEN);
        for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
            Xapian::Document doc = db.get_document(*it);
            ASSERT_FALSE(doc.get_value(schema::kSlotHit).empty());
            doc.remove_value(schema::kSlotHit);
            db.replace_document(*it, doc);
        }
        db.commit();
    }
    auto without_slot = s.search(r);
    ASSERT_TRUE(without_slot);
    EXPECT_EQ(hit_fields(*without_slot), hit_fields(*with_slot));
}

TEST_F(SearcherTest, FacetCountsMatchBruteForce) {
    const auto corpus = test::sample_corpus();
    publish("g000001", corpus);
    Searcher s = make();
    SearchRequest r = req("");
    r.facets = {FacetField::topic, FacetField::source, FacetField::author, FacetField::lang,
                FacetField::tag,   FacetField::year,   FacetField::month};
    r.facet_size = 100;
    auto res = s.search(r);
    ASSERT_TRUE(res) << res.error().message;

    std::map<std::string, std::uint64_t> topics, sources, authors, years, tags;
    for (const auto& a : corpus) {
        for (const auto& t : a.topics) {
            ++topics[t.id];
        }
        for (const auto& au : a.authors) {
            ++authors[au];
        }
        for (const auto& tg : a.tags) {
            ++tags[tg];
        }
        ++sources[a.source];
        if (!a.date.empty()) {
            ++years[a.date.substr(0, 4)];
        }
    }
    EXPECT_EQ(facet(*res, FacetField::topic), topics);
    EXPECT_EQ(facet(*res, FacetField::source), sources);
    EXPECT_EQ(facet(*res, FacetField::author), authors);
    EXPECT_EQ(facet(*res, FacetField::tag), tags);
    EXPECT_EQ(facet(*res, FacetField::year), years);
    EXPECT_EQ(facet(*res, FacetField::lang), (std::map<std::string, std::uint64_t>{{"en", 6}, {"ru", 1}}));
    EXPECT_EQ(facet(*res, FacetField::month)["2024-05"], 1U);
    // Sorted by count desc then value.
    ASSERT_FALSE(res->facets.empty());
    const auto& tv = res->facets[0].values;
    ASSERT_GE(tv.size(), 3U);
    EXPECT_EQ(tv[0].value, "energy");
    EXPECT_EQ(tv[0].count, 5U);
    EXPECT_EQ(tv[1].value, "diplomacy"); // 2, before "trade" (2)
    EXPECT_EQ(tv[2].value, "trade");
    EXPECT_TRUE(res->facets[0].exact);
}

TEST_F(SearcherTest, FacetColumnsGiveTheSameCountsAsDocumentValues) {
    const auto corpus = test::sample_corpus();
    publish("g000001", corpus);
    FacetColumnsCache columns;
    Searcher plain = make();
    Searcher columnar(SearchEnv{&config_, &analyzer_, &watcher_, nullptr, nullptr, nullptr, &columns});
    SearchRequest r = req("");
    r.facets = {FacetField::topic, FacetField::source, FacetField::author, FacetField::lang,
                FacetField::tag,   FacetField::year,   FacetField::month};
    r.facet_size = 100;
    r.filters.topic = {"diplomacy"}; // exercises the disjunctive pass too
    auto expected = plain.search(r);
    ASSERT_TRUE(expected);
    // The first request asks for a background build; wait until the columns are in use.
    for (int i = 0; i < 200 && columns.builds() == 0; ++i) {
        ASSERT_TRUE(columnar.search(r));
        std::this_thread::sleep_for(10ms);
    }
    ASSERT_EQ(columns.builds(), 1U);
    auto got = columnar.search(r);
    ASSERT_TRUE(got);
    for (const FacetField f : r.facets) {
        EXPECT_EQ(facet(*got, f), facet(*expected, f)) << facet_field_name(f);
    }
    // A commit makes the columns stale: counts stay exact (document values) meanwhile.
    test::build_generation(data_dir_, analyzer_, "g000002", {test::make_article("n1", "New", "new text")});
    watcher_.poll_once();
    SearchRequest all = req("");
    all.facets = {FacetField::lang};
    auto fresh = columnar.search(all);
    ASSERT_TRUE(fresh);
    EXPECT_EQ(fresh->total.value, 1U);
    EXPECT_EQ(facet(*fresh, FacetField::lang).size(), 1U);
}

TEST_F(SearcherTest, FacetSizeTruncates) {
    publish("g000001", test::sample_corpus());
    Searcher s = make();
    SearchRequest r = req("");
    r.facets = {FacetField::topic};
    r.facet_size = 2;
    auto res = s.search(r);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->facets[0].values.size(), 2U);
}

TEST_F(SearcherTest, DisjunctiveFacets) {
    publish("g000001", test::sample_corpus());
    Searcher s = make();
    SearchRequest r = req("");
    r.filters.topic = {"diplomacy"};
    r.facets = {FacetField::topic, FacetField::source};
    auto res = s.search(r);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->total.value, 2U);
    // topic counts ignore the topic filter: the whole (unfiltered) set.
    EXPECT_EQ(facet(*res, FacetField::topic)["energy"], 5U);
    EXPECT_EQ(facet(*res, FacetField::topic)["diplomacy"], 2U);
    // source counts respect it: only the two diplomacy articles (both AP).
    EXPECT_EQ(facet(*res, FacetField::source), (std::map<std::string, std::uint64_t>{{"AP", 2}}));
    // The response says which fields were counted without their own filter.
    for (const auto& fr : res->facets) {
        EXPECT_EQ(fr.disjunctive, fr.field == FacetField::topic) << facet_field_name(fr.field);
    }
}

TEST_F(SearcherTest, SortByDateAndCursorPagesWithoutRepeats) {
    publish("g000001", test::sample_corpus());
    Searcher s = make();
    for (const SortOrder order : {SortOrder::date_desc, SortOrder::date_asc, SortOrder::relevance}) {
        SearchRequest r = req(order == SortOrder::relevance ? "gas OR energy OR pipeline OR talks" : "");
        r.sort = order;
        r.limit = 2;
        r.facets.clear();
        std::vector<std::string> all;
        std::vector<std::string> dates;
        for (int page = 0; page < 10; ++page) {
            auto res = s.search(r);
            ASSERT_TRUE(res) << res.error().message;
            for (const auto& h : res->hits) {
                all.push_back(h.id);
                dates.push_back(h.date);
            }
            if (!res->next_cursor) {
                break;
            }
            r.cursor = *res->next_cursor;
        }
        const std::set<std::string> unique(all.begin(), all.end());
        EXPECT_EQ(unique.size(), all.size()) << "repeated hits";
        if (order != SortOrder::relevance) {
            EXPECT_EQ(all.size(), 7U);
            std::vector<std::string> dated(dates.begin(), dates.end());
            // Undated (empty) sorts last in desc, first in asc; check monotonic order.
            for (std::size_t i = 1; i < dated.size(); ++i) {
                if (order == SortOrder::date_desc) {
                    EXPECT_GE(dated[i - 1], dated[i]);
                } else {
                    EXPECT_LE(dated[i - 1], dated[i]);
                }
            }
        } else {
            auto full = s.search(req("gas OR energy OR pipeline OR talks"));
            ASSERT_TRUE(full);
            EXPECT_EQ(all.size(), full->total.value);
        }
    }
}

TEST_F(SearcherTest, RelevanceCursorContinuesAfterTheLastHitWhenCommitsMoveIt) {
    // Twelve articles about pipelines of decreasing strength; page 1 of three, then articles
    // that rank above everything (added) and one of page 2's (removed) are committed before
    // page 2 is asked for with page 1's cursor.
    std::vector<Article> corpus;
    for (int i = 0; i < 12; ++i) {
        std::string body = "A report on regional infrastructure and trade.";
        for (int k = 0; k < 12 - i; ++k) {
            body += " The pipeline was discussed.";
        }
        corpus.push_back(test::make_article("p" + std::to_string(i), "Report " + std::to_string(i), body));
    }
    publish("g000001", corpus);
    Searcher s = make();
    SearchRequest r = req("pipeline");
    r.facets.clear();
    r.limit = 12;
    auto before = s.search(r);
    ASSERT_TRUE(before) << before.error().message;
    ASSERT_EQ(before->hits.size(), 12U);
    r.limit = 3;
    auto page1 = s.search(r);
    ASSERT_TRUE(page1 && page1->next_cursor);
    for (int i = 0; i < 4; ++i) {
        commit_article("g000001", test::make_article("new" + std::to_string(i), "Pipeline pipeline",
                                                     "Pipeline pipeline pipeline pipeline pipeline."));
    }
    r.cursor = *page1->next_cursor;
    auto page2 = s.search(r);
    ASSERT_TRUE(page2) << page2.error().message;
    ASSERT_EQ(page2->hits.size(), 3U);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(page2->hits[i].id, before->hits[3 + i].id) << "page 2 continues after page 1's last hit";
    }
    // Deleting a hit of the next page moves the rest up: page 3 still starts right after page 2.
    {
        Xapian::WritableDatabase db(data_dir_.generation_path("g000001").string(), Xapian::DB_OPEN);
        db.delete_document("Q" + before->hits[6].id);
        db.commit();
    }
    ASSERT_TRUE(page2->next_cursor);
    r.cursor = *page2->next_cursor;
    auto page3 = s.search(r);
    ASSERT_TRUE(page3) << page3.error().message;
    ASSERT_EQ(page3->hits.size(), 3U);
    EXPECT_EQ(page3->hits[0].id, before->hits[7].id);
    EXPECT_EQ(page3->hits[2].id, before->hits[9].id);
}

TEST_F(SearcherTest, CursorCodec) {
    Cursor c;
    c.generation = "g000012";
    c.sort = SortOrder::date_asc;
    c.last_date = "20240516";
    c.last_docid = 42;
    auto d = decode_cursor(encode_cursor(c));
    ASSERT_TRUE(d);
    EXPECT_EQ(d->generation, "g000012");
    EXPECT_EQ(d->sort, SortOrder::date_asc);
    EXPECT_EQ(d->last_date, "20240516");
    EXPECT_EQ(d->last_docid, 42U);
    EXPECT_FALSE(decode_cursor("zz"));
    EXPECT_FALSE(decode_cursor("abc"));
}

TEST_F(SearcherTest, FollowsGenerationSwapAndServesRetained) {
    publish("g000001", test::sample_corpus());
    Searcher s = make();
    auto r1 = s.search(req("pipeline"));
    ASSERT_TRUE(r1);
    EXPECT_EQ(r1->generation, "g000001");

    auto corpus = test::sample_corpus();
    corpus.push_back(test::make_article("b1", "Another pipeline", "A pipeline story.", "2024-06-01"));
    publish("g000002", corpus);
    auto r2 = s.search(req("pipeline"));
    ASSERT_TRUE(r2);
    EXPECT_EQ(r2->generation, "g000002");
    EXPECT_EQ(r2->total.value, 3U);

    SearchRequest old = req("pipeline");
    old.generation = "g000001";
    auto r3 = s.search(old);
    ASSERT_TRUE(r3);
    EXPECT_EQ(r3->generation, "g000001");
    EXPECT_EQ(r3->total.value, 2U);

    old.generation = "g000099";
    auto r4 = s.search(old);
    ASSERT_FALSE(r4);
    EXPECT_EQ(r4.error().code, ErrorCode::not_found);
    old.generation = "../etc";
    EXPECT_EQ(s.search(old).error().code, ErrorCode::bad_request);
}

TEST_F(SearcherTest, SeesCommitsToLiveGeneration) {
    publish("g000001", test::sample_corpus());
    Searcher s = make();
    ASSERT_EQ(s.search(req("zebra"))->total.value, 0U);
    commit_article("g000001", test::make_article("z1", "Zebra", "A zebra crossing.", "2024-01-01"));
    EXPECT_EQ(s.search(req("zebra"))->total.value, 1U);
}

TEST_F(SearcherTest, ReopenCheckIntervalDelaysCommitsButNeverSwaps) {
    config_.searchd.reopen_check_ms = 1000;
    publish("g000001", test::sample_corpus());
    Searcher s = make();
    const auto checked = std::chrono::steady_clock::now(); // the first query checks
    ASSERT_EQ(s.search(req("zebra"))->total.value, 0U);
    commit_article("g000001", test::make_article("z1", "Zebra", "A zebra crossing.", "2024-01-01"));
    // Within the interval the worker keeps its revision (no version-file read per query)...
    auto stale = s.search(req("zebra"));
    ASSERT_TRUE(stale);
    if (std::chrono::steady_clock::now() - checked < 900ms) {
        EXPECT_EQ(stale->total.value, 0U);
    }
    // ...but a swap is seen at once: the watcher's sequence is checked on every query.
    auto swapped = test::sample_corpus();
    swapped.push_back(test::make_article("z2", "Zebra two", "Another zebra.", "2024-01-02"));
    publish("g000002", swapped);
    auto after_swap = s.search(req("zebra"));
    ASSERT_TRUE(after_swap);
    EXPECT_EQ(after_swap->generation, "g000002");
    EXPECT_EQ(after_swap->total.value, 1U);
    // Commits to the live generation show up once the interval has passed.
    commit_article("g000002", test::make_article("z3", "Zebra three", "A third zebra.", "2024-01-03"));
    std::this_thread::sleep_for(1100ms);
    EXPECT_EQ(s.search(req("zebra"))->total.value, 2U);
}

TEST_F(SearcherTest, ResultCacheHitsAndInvalidatesOnCommit) {
    publish("g000001", test::sample_corpus());
    ResultCache cache(16);
    Searcher s(SearchEnv{&config_, &analyzer_, &watcher_, nullptr, &cache});
    auto first = s.search(req("gas"));
    ASSERT_TRUE(first);
    auto second = s.search(req("gas"));
    ASSERT_TRUE(second);
    EXPECT_EQ(cache.hits(), 1U);
    EXPECT_EQ(second->total.value, first->total.value);
    ASSERT_EQ(second->hits.size(), first->hits.size());
    EXPECT_EQ(second->hits[0].id, first->hits[0].id);
    SearchRequest other = req("gas");
    other.filters.topic = {"trade"};
    ASSERT_TRUE(s.search(other));
    EXPECT_EQ(cache.hits(), 1U); // different filters, different key
    commit_article("g000001", test::make_article("g9", "More gas", "Gas again.", "2024-01-01"));
    auto third = s.search(req("gas"));
    ASSERT_TRUE(third);
    EXPECT_EQ(third->total.value, first->total.value + 1); // new revision: not served stale
    EXPECT_EQ(cache.hits(), 1U);
}

TEST_F(SearcherTest, WildcardLimitIsTooComplex) {
    config_.limits.max_wildcard_expansion = 1;
    publish("g000001", test::sample_corpus());
    Searcher s = make();
    auto r = s.search(req("p*"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::too_complex);
}

TEST_F(SearcherTest, ArticleStatsTopics) {
    auto corpus = test::sample_corpus();
    corpus.push_back(test::make_article("business/001", "Slash id", "Body.", "2024-01-01"));
    publish("g000001", corpus);
    Searcher s = make();
    auto a = s.article("business/001", "");
    ASSERT_TRUE(a);
    EXPECT_NE(a->json.find("Slash id"), std::string::npos);
    auto missing = s.article("nope", "");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::not_found);

    auto st = s.stats();
    ASSERT_TRUE(st);
    EXPECT_EQ(st->articles, 8U);
    EXPECT_EQ(st->generation, "g000001");
    EXPECT_EQ(st->last_update, "2024-06-01T00:00:00Z");
    EXPECT_GT(st->index_bytes, 0U);

    auto t = s.topics();
    ASSERT_TRUE(t);
    std::map<std::string, std::uint64_t> counts;
    for (const auto& tc : *t) {
        counts[tc.id] = tc.count;
    }
    EXPECT_EQ(counts["energy"], 5U);
    EXPECT_EQ(counts["nuclear"], 1U);
}

TEST_F(SearcherTest, SpellingSuggestionWhenFewHits) {
    // Spelling data is what the indexer adds for title and body words.
    test::build_generation(data_dir_, analyzer_, "g000001", test::sample_corpus());
    {
        Xapian::WritableDatabase db(data_dir_.generation_path("g000001").string(), Xapian::DB_OPEN);
        db.add_spelling("pipeline", 5);
        db.add_spelling("sanctions", 5);
        db.commit();
    }
    watcher_.poll_once();
    Searcher s = make();
    auto r = s.search(req("pipelnie"));
    ASSERT_TRUE(r);
    ASSERT_TRUE(r->suggestion.has_value());
    EXPECT_EQ(*r->suggestion, "pipeline");
    auto ok = s.search(req("pipeline"));
    ASSERT_TRUE(ok);
    EXPECT_FALSE(ok->suggestion.has_value());
    // A misspelt word next to a word with hits still gets corrected.
    auto mixed = s.search(req("gas pipelnie"));
    ASSERT_TRUE(mixed);
    EXPECT_GT(mixed->total.value, 0U);
    ASSERT_TRUE(mixed->suggestion.has_value());
    EXPECT_EQ(*mixed->suggestion, "gas pipeline");
}

} // namespace
} // namespace gazette::searchd
