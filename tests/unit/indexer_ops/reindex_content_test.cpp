// A reindexed generation (parallel shards, log-structured runs, one compact merge) holds the
// same documents as one built by `index` (IndexWriter, one document at a time): same terms
// with wdf and positions, same values, same stored data, same collection statistics.

#include "indexer/jobs/reindex_job.hpp"

#include "common/caching_stemmer.hpp"
#include "ops_test_support.hpp"

#include <map>

namespace gazette::indexer::testing {
namespace {

using ReindexContentTest = OpsFixture;

/// Everything a search or a retag can read from one document.
struct DocDump {
    std::string data;
    std::map<Xapian::valueno, std::string> values;
    std::vector<std::tuple<std::string, Xapian::termcount, std::vector<Xapian::termpos>>> terms;
    Xapian::termcount length = 0;
    bool operator==(const DocDump&) const = default;
};

DocDump dump(const Xapian::Database& db, const std::string& id) {
    auto pl = db.postlist_begin(std::string(schema::kIdPrefix) + id);
    EXPECT_NE(pl, db.postlist_end(std::string(schema::kIdPrefix) + id)) << id;
    DocDump d;
    if (pl == db.postlist_end(std::string(schema::kIdPrefix) + id)) {
        return d;
    }
    const Xapian::Document doc = db.get_document(*pl);
    d.data = doc.get_data();
    for (auto v = doc.values_begin(); v != doc.values_end(); ++v) {
        d.values[v.get_valueno()] = *v;
    }
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
        std::vector<Xapian::termpos> positions(t.positionlist_begin(), t.positionlist_end());
        d.terms.emplace_back(*t, t.get_wdf(), std::move(positions));
    }
    d.length = db.get_doclength(*pl);
    return d;
}

/// Articles with every field the analyzer indexes, in two languages, with and without a
/// given language (so detection runs for some).
std::vector<Article> rich_corpus(int n) {
    std::vector<Article> out;
    for (int i = 0; i < n; ++i) {
        Article a;
        a.id = "doc-" + std::to_string(i);
        a.title = "Oil and tank report number " + std::to_string(i);
        a.headings = {"Pipeline exports", "Armoured columns " + std::to_string(i % 7)};
        a.body = "Traders watched the running markets as oil prices rose on day " + std::to_string(i) +
                 ". The tanks rolled; connection, connected, connecting and connections all stem alike. ";
        if (i % 4 == 0) {
            a.body = "Die Märkte reagierten auf die steigenden Ölpreise und die Verhandlungen über Pipelines. "
                     "Händler beobachteten die Entwicklungen sehr genau, und die Regierung kündigte an, dass "
                     "weitere Gespräche folgen werden. ";
            a.title = "Ölpreise steigen weiter " + std::to_string(i);
            a.lang = i % 8 == 0 ? "de" : ""; // sometimes detected
        } else {
            a.lang = i % 3 == 0 ? "" : "en";
        }
        a.authors = {"Jane Roe", "R. Smith " + std::to_string(i % 3)};
        a.source = i % 2 == 0 ? "Test Wire" : "Other Desk";
        a.tags = {"markets", "tag " + std::to_string(i % 5)};
        a.editor_topics = i % 6 == 0 ? std::vector<std::string>{"Diplomacy"} : std::vector<std::string>{};
        a.date = "2024-0" + std::to_string(1 + i % 9) + "-1" + std::to_string(i % 10);
        a.url = "https://example.org/" + a.id;
        out.push_back(std::move(a));
    }
    return out;
}

TEST_F(ReindexContentTest, ReindexedGenerationEqualsAnIndexBuiltOne) {
    upsert(rich_corpus(64));
    index_live();
    const auto indexed_gen = ctx_->data_dir().live_generation().value();

    ReindexJobOptions options;
    options.no_swap = true;
    options.force = true; // near-identical test articles tie in BM25; ties follow docid order
    options.build.shards = 2;
    options.build.run_documents = 5;     // many runs per shard: the merge path is exercised
    options.build.batch_articles = 3;
    auto progress = Progress("reindex", 0, nullptr);
    auto result = run_reindex(*ctx_, options, progress, no_cancel_);
    ASSERT_TRUE(result) << result.error().message;
    ASSERT_EQ(result->outcome, JobOutcome::built);
    EXPECT_GE(result->runs, 12u);

    const Xapian::Database indexed(ctx_->data_dir().generation_path(indexed_gen).string());
    const Xapian::Database rebuilt(ctx_->data_dir().generation_path(result->generation).string());
    ASSERT_EQ(rebuilt.get_doccount(), 64u);
    EXPECT_EQ(rebuilt.get_doccount(), indexed.get_doccount());
    EXPECT_EQ(rebuilt.get_total_length(), indexed.get_total_length());
    // Every term with the same document and collection frequencies.
    std::vector<std::tuple<std::string, Xapian::doccount, Xapian::termcount>> a_terms;
    std::vector<std::tuple<std::string, Xapian::doccount, Xapian::termcount>> b_terms;
    for (auto t = indexed.allterms_begin(); t != indexed.allterms_end(); ++t) {
        a_terms.emplace_back(*t, t.get_termfreq(), indexed.get_collection_freq(*t));
    }
    for (auto t = rebuilt.allterms_begin(); t != rebuilt.allterms_end(); ++t) {
        b_terms.emplace_back(*t, t.get_termfreq(), rebuilt.get_collection_freq(*t));
    }
    EXPECT_GT(a_terms.size(), 100u);
    EXPECT_EQ(a_terms, b_terms);
    // Every document: terms, wdf, positions, values, stored data, length.
    for (int i = 0; i < 64; ++i) {
        const std::string id = "doc-" + std::to_string(i);
        const DocDump a = dump(indexed, id);
        const DocDump b = dump(rebuilt, id);
        EXPECT_FALSE(a.terms.empty()) << id;
        EXPECT_TRUE(a == b) << id << ": reindexed document differs from the indexed one";
    }
    // Detection ran for articles without a language, the same way on both paths.
    EXPECT_EQ(rebuilt.get_termfreq(std::string(schema::kLangPrefix) + "de"), 16u);
}

TEST_F(ReindexContentTest, OneRunPerShardGivesTheSameDocumentsAsManyRuns) {
    upsert(rich_corpus(30));
    auto build = [&](std::size_t run_documents) {
        ReindexJobOptions options;
        options.no_swap = true;
        options.force = true;
        options.build.shards = 2;
        options.build.run_documents = run_documents;
        options.build.batch_articles = 4;
        auto progress = Progress("reindex", 0, nullptr);
        auto result = run_reindex(*ctx_, options, progress, no_cancel_);
        EXPECT_TRUE(result);
        return *result;
    };
    const auto many = build(2);
    const auto one = build(1000);
    EXPECT_GE(many.runs, 14u);
    EXPECT_EQ(one.runs, 2u);
    const Xapian::Database a(ctx_->data_dir().generation_path(many.generation).string());
    const Xapian::Database b(ctx_->data_dir().generation_path(one.generation).string());
    ASSERT_EQ(a.get_doccount(), 30u);
    ASSERT_EQ(b.get_doccount(), 30u);
    for (int i = 0; i < 30; i += 7) {
        const std::string id = "doc-" + std::to_string(i);
        EXPECT_TRUE(dump(a, id) == dump(b, id)) << id;
    }
}

TEST(CachingStemmerTest, StemsExactlyLikeTheWrappedStemmerAndStaysBounded) {
    const std::vector<std::string> words = {"connection", "connected", "running", "runs", "ran",
                                            "generously", "national", "nationalities", "", "a",
                                            "connection", "running", "Running", "über", "ölpreise"};
    for (const char* lang : {"en", "de"}) {
        Xapian::Stem plain(lang);
        auto* impl = new CachingStemmer(Xapian::Stem(lang), 4);
        Xapian::Stem cached(impl); // owns impl
        for (int pass = 0; pass < 3; ++pass) {
            for (const auto& w : words) {
                EXPECT_EQ(cached(w), plain(w)) << lang << " '" << w << "'";
                EXPECT_LE(impl->size(), 4u);
            }
        }
        EXPECT_EQ(cached.get_description(), plain.get_description());
    }
    EXPECT_TRUE(make_caching_stemmer(Xapian::Stem()).is_none());
    EXPECT_EQ(make_caching_stemmer(Xapian::Stem("en"))("connections"), "connect");
}

} // namespace
} // namespace gazette::indexer::testing
