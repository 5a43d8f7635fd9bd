#include "common/analyzer.hpp"
#include "common/data_dir.hpp"
#include "common/hit_summary.hpp"
#include "common/schema.hpp"

#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

using namespace gazette;

namespace {

Article make_article(std::string id, std::string title, std::string body, std::string lang = "en") {
    Article a;
    a.id = std::move(id);
    a.title = std::move(title);
    a.body = std::move(body);
    a.lang = std::move(lang);
    a.date = "2024-05-16";
    a.source = "Example News";
    a.authors = {"Jane Roe", "John Doe"};
    a.tags = {"Pipelines"};
    a.topics = {TopicScore{"energy", 2.5, false}};
    return a;
}

/// A real on-disk database with the given articles.
struct Fixture {
    test::TempDir dir;
    Analyzer analyzer{AnalysisConfig{}};
    Xapian::WritableDatabase db;
    Fixture() : db((dir.path() / "db").string(), Xapian::DB_CREATE) {}
    void add(const Article& a) {
        auto tg = analyzer.make_term_generator(a.lang);
        db.replace_document(std::string(schema::kIdPrefix) + a.id, analyzer.build_document(a, tg));
        db.commit();
    }
    Xapian::doccount count(const std::string& query_text, std::string_view lang = "en") {
        auto qp = analyzer.make_query_parser(lang, db);
        Xapian::Enquire enquire(db);
        enquire.set_query(qp.parse_query(query_text, analyzer.query_flags()));
        return enquire.get_mset(0, 100).size();
    }
};

} // namespace

TEST(Analyzer, StemmedExactPhraseAndFieldQueries) {
    Fixture f;
    f.add(make_article("a1", "Power of Siberia pipeline",
                       "Russia and China signed new sanctions-proof gas deals for the Power of Siberia 2 line."));
    f.add(make_article("a2", "Football final", "The match ended with a late goal."));
    struct Case {
        std::string query;
        Xapian::doccount expected;
    };
    const Case cases[] = {
        {"\"Power of Siberia\"", 1}, // phrase with a stop word in it
        {"sanction", 1},             // stem matches "sanctions"
        {"pipelines", 1},
        {"title:pipeline", 1},
        {"title:sanctions", 0},      // only in the body
        {"author:roe", 2},
        {"topic:Energy", 2},         // boolean values are case-folded like at index time
        {"tag:pipelines", 2},
        {"lang:en", 2},
        {"date:2024-05-01..2024-05-31", 2},
        {"date:2025..", 0},
        {"date:..2024", 2},
        {"goal AND NOT pipeline", 1},
        {"pipe*", 1},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(f.count(c.query), c.expected) << c.query;
    }
}

TEST(Analyzer, RussianStemmingAndQueryLanguage) {
    Fixture f;
    Analyzer& an = f.analyzer;
    f.add(make_article("r1", "Санкции против России", "Новые санкции затронули газовые поставки.", "ru"));
    EXPECT_EQ(an.query_language("санкция"), "ru");
    EXPECT_EQ(an.query_language("sanction"), "en");
    EXPECT_EQ(f.count("санкциями", "ru"), 1u);
}

TEST(Analyzer, DetectsLanguage) {
    Analyzer an{AnalysisConfig{}};
    EXPECT_EQ(an.detect_language("Die Regierung", "Die Bundesregierung hat am Mittwoch neue Sanktionen gegen "
                                                  "Russland beschlossen, die den Energiesektor betreffen."),
              "de");
    EXPECT_EQ(an.detect_language("", "Правительство России объявило о новых мерах в ответ на санкции "
                                     "западных стран против энергетического сектора."),
              "ru");
}

TEST(Analyzer, CjkIsSearchableByNgrams) {
    Fixture f;
    f.add(make_article("c1", "能源", "中国和俄罗斯签署了新的天然气管道协议。", "zh"));
    EXPECT_EQ(f.count("天然气"), 1u);
}

TEST(Analyzer, ValuesAndDataAreStored) {
    Fixture f;
    f.add(make_article("v1", "T", "Body text."));
    Xapian::Database db((f.dir.path() / "db").string());
    auto pl = db.postlist_begin(std::string(schema::kIdPrefix) + "v1");
    ASSERT_NE(pl, db.postlist_end(std::string(schema::kIdPrefix) + "v1"));
    const auto doc = db.get_document(*pl);
    EXPECT_EQ(doc.get_value(schema::kSlotDate), "20240516");
    EXPECT_EQ(doc.get_value(schema::kSlotYear), "2024");
    EXPECT_EQ(doc.get_value(schema::kSlotMonth), "2024-05");
    EXPECT_EQ(doc.get_value(schema::kSlotAuthors), std::string("Jane Roe") + schema::kMultiSep + "John Doe");
    auto back = article_from_json(doc.get_data());
    ASSERT_TRUE(back);
    EXPECT_EQ(back->id, "v1");
    ASSERT_EQ(back->topics.size(), 1u);
    EXPECT_EQ(back->topics[0].id, "energy");
}

TEST(Analyzer, RetopicReplacesTopicTerms) {
    Analyzer an{AnalysisConfig{}};
    auto a = make_article("t1", "T", "Body");
    auto tg = an.make_term_generator("en");
    auto doc = an.build_document(a, tg);
    a.topics = {TopicScore{"military", 3, false}};
    an.retopic_document(doc, a);
    bool has_energy = false;
    bool has_military = false;
    for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
        has_energy |= (*it == "XTOPICenergy");
        has_military |= (*it == "XTOPICmilitary");
    }
    EXPECT_FALSE(has_energy);
    EXPECT_TRUE(has_military);
    // The result-list summary follows the new topics.
    const auto summary = decode_hit_summary(doc.get_value(schema::kSlotHit));
    ASSERT_TRUE(summary);
    EXPECT_EQ(summary->topics, std::vector<std::string>{"military"});
}

TEST(HitSummary, StoredSlotHoldsTheResultListFields) {
    Fixture f;
    auto a = make_article("h1", "Pipeline <talks> \"resume\"", "Body text.");
    a.url = "https://example.org/a?x=1&y=2";
    a.topics = {TopicScore{"energy", 2.5, false}, TopicScore{"sanctions", 1, true}};
    f.add(a);
    Xapian::Database db((f.dir.path() / "db").string());
    const auto doc = db.get_document(*db.postlist_begin(std::string(schema::kIdPrefix) + "h1"));
    const auto h = decode_hit_summary(doc.get_value(schema::kSlotHit));
    ASSERT_TRUE(h);
    EXPECT_EQ(h->id, "h1");
    EXPECT_EQ(h->title, "Pipeline <talks> \"resume\""); // raw: escaping is the reader's job
    EXPECT_EQ(h->url, a.url);
    EXPECT_EQ(h->source, "Example News");
    EXPECT_EQ(h->date, "2024-05-16");
    EXPECT_EQ(h->lang, "en");
    EXPECT_EQ(h->authors, (std::vector<std::string>{"Jane Roe", "John Doe"}));
    EXPECT_EQ(h->topics, (std::vector<std::string>{"energy", "sanctions"}));
}

TEST(HitSummary, RoundTripsEmptyAndLongFields) {
    Article a;
    a.id = "x";
    a.title = std::string(1000, 't'); // lengths above 127 take two LEB128 bytes
    a.body = "not stored in the summary";
    const auto h = decode_hit_summary(encode_hit_summary(a));
    ASSERT_TRUE(h);
    EXPECT_EQ(h->title.size(), 1000u);
    EXPECT_TRUE(h->url.empty());
    EXPECT_TRUE(h->date.empty());
    EXPECT_TRUE(h->authors.empty());
    EXPECT_TRUE(h->topics.empty());
}

TEST(HitSummary, RejectsMissingOrDamagedValues) {
    EXPECT_FALSE(decode_hit_summary("")); // generation built before the slot existed
    Article a;
    a.id = "damaged";
    a.title = "Title";
    a.authors = {"A", "B"};
    const std::string good = encode_hit_summary(a);
    ASSERT_TRUE(decode_hit_summary(good));
    for (std::size_t cut = 1; cut < good.size(); ++cut) {
        EXPECT_FALSE(decode_hit_summary(std::string_view(good).substr(0, cut))) << "cut at " << cut;
    }
    EXPECT_FALSE(decode_hit_summary(good + "x"));       // trailing bytes
    std::string wrong_version = good;
    wrong_version[0] = 2;
    EXPECT_FALSE(decode_hit_summary(wrong_version));
    std::string huge_length = good;
    huge_length[1] = static_cast<char>(0xff);           // an id length that runs past the end
    EXPECT_FALSE(decode_hit_summary(huge_length));
}

TEST(Article, NormaliseValidatesFields) {
    Article ok = make_article("x", "Title", "Body");
    ok.date = "2024-05-16T10:00:00Z";
    ok.lang = "EN-us";
    ASSERT_TRUE(normalise_article(ok));
    EXPECT_EQ(ok.date, "2024-05-16");
    EXPECT_EQ(ok.lang, "en");

    struct Case {
        Article a;
        std::string field;
    };
    std::vector<Case> cases;
    cases.push_back({make_article("", "T", "B"), "id"});
    cases.push_back({make_article(std::string(201, 'x'), "T", "B"), "id"});
    cases.push_back({make_article("ctl\x01", "T", "B"), "id"});
    cases.push_back({make_article("u", "T\xFF", "B"), "title"});
    cases.push_back({make_article("e", "", "  "), "body"});
    Article bad_date = make_article("d", "T", "B");
    bad_date.date = "2024-02-31";
    cases.push_back({bad_date, "date"});
    Article bad_lang = make_article("l", "T", "B");
    bad_lang.lang = "english!";
    cases.push_back({bad_lang, "lang"});
    for (auto& c : cases) {
        auto r = normalise_article(c.a);
        ASSERT_FALSE(r) << c.field;
        EXPECT_EQ(r.error().location, c.field) << r.error().message;
    }
}

TEST(DataDir, PublishAndAllocateGenerations) {
    test::TempDir dir;
    DataDir dd(dir.path() / "data");
    dd.create_layout();
    EXPECT_FALSE(dd.live_generation());
    const auto g1 = dd.allocate_generation();
    const auto g2 = dd.allocate_generation();
    EXPECT_EQ(g1, "g000001");
    EXPECT_EQ(g2, "g000002");
    { Xapian::WritableDatabase db(dd.generation_path(g1).string(), Xapian::DB_CREATE); }
    dd.publish_live(g1);
    EXPECT_EQ(dd.live_generation(), g1);
    // The stub is a real Xapian stub database.
    Xapian::Database via_stub(dd.live_stub().string());
    EXPECT_EQ(via_stub.get_doccount(), 0u);
    // Deleted names are never reused.
    std::filesystem::remove_all(dd.generation_path(g1));
    EXPECT_EQ(dd.allocate_generation(), "g000003");
    EXPECT_THROW(dd.publish_live("g000009"), std::runtime_error);
}

TEST(Article, StoredJsonFastDecoderMatchesTheFullDecoder) {
    Article a = make_article("fast-1", "Title \"quoted\" \\ and ünïcode", "Body with \"quotes\"\nand lines.");
    a.headings = {"Heading one"};
    a.topics = {TopicScore{"energy", 2.5, false}, TopicScore{"sport", 1.0, true}};
    const std::string json = article_to_json(a);
    auto full = article_from_json(json);
    auto fast = article_from_stored_json(json, true);
    auto lean = article_from_stored_json(json, false);
    ASSERT_TRUE(full);
    ASSERT_TRUE(fast);
    ASSERT_TRUE(lean);
    EXPECT_EQ(fast->title, full->title);
    EXPECT_EQ(fast->body, full->body);
    EXPECT_EQ(fast->authors, full->authors);
    EXPECT_EQ(fast->tags, full->tags);
    EXPECT_EQ(fast->headings, full->headings);
    ASSERT_EQ(fast->topics.size(), 2u);
    EXPECT_EQ(fast->topics[1].id, "sport");
    EXPECT_TRUE(fast->topics[1].editor);
    EXPECT_EQ(fast->editor_topics, full->editor_topics);
    EXPECT_EQ(lean->title, full->title);
    EXPECT_TRUE(lean->body.empty());
    EXPECT_FALSE(article_from_stored_json("{\"id\": 5}", true));
    EXPECT_FALSE(article_from_stored_json("not json", true));
}

TEST(Analyzer, TitleWeightScalesTitleWordsWdf) {
    // A title word gets title_weight per occurrence in the unprefixed (body) field, so BM25 can
    // rank title matches above body matches; the S-prefixed title copy is always wdf 1.
    const auto wdf_of = [](std::uint32_t title_weight, const std::string& term) {
        AnalysisConfig config;
        config.title_weight = title_weight;
        Analyzer analyzer(config);
        auto tg = analyzer.make_term_generator("en");
        const auto doc = analyzer.build_document(make_article("w", "Pipeline", "A report."), tg);
        for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
            if (*t == term) {
                return t.get_wdf();
            }
        }
        return Xapian::termcount{0};
    };
    EXPECT_EQ(wdf_of(5, "pipeline"), 5u);
    EXPECT_EQ(wdf_of(1, "pipeline"), 1u);
    EXPECT_EQ(wdf_of(12, "pipeline"), 12u);
    EXPECT_EQ(wdf_of(5, "report"), 1u) << "body words are not scaled";
}
