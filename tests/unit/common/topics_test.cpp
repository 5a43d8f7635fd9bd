#include "tests/support/temp_dir.hpp"
#include "common/topics.hpp"

#include "common/analyzer.hpp"

#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {

using gazette::Analyzer;
using gazette::Article;
using gazette::Taxonomy;
using gazette::TopicClassifier;
using gazette::TopicScore;

using TempDir = ::gazette::test::TempDir;

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<std::string> ids_of(const std::vector<TopicScore>& topics) {
    std::vector<std::string> ids;
    for (const auto& t : topics) {
        ids.push_back(t.id);
    }
    return ids;
}

bool has(const std::vector<TopicScore>& topics, const std::string& id) {
    return std::any_of(topics.begin(), topics.end(), [&](const TopicScore& t) { return t.id == id; });
}

std::string topics_string(const std::vector<TopicScore>& topics) {
    std::string s;
    for (const auto& t : topics) {
        s += t.id + "=" + std::to_string(t.score) + " ";
    }
    return s;
}

class TopicsTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        analyzer_ = new Analyzer(gazette::AnalysisConfig{});
        auto tax = Taxonomy::load_file(std::string(GAZETTE_SOURCE_DIR) + "/config/topics.toml", *analyzer_);
        ASSERT_TRUE(tax.has_value()) << tax.error().message;
        taxonomy_ = new Taxonomy(std::move(*tax));
        classifier_ = new TopicClassifier(*taxonomy_, *analyzer_);
    }
    static void TearDownTestSuite() {
        delete classifier_;
        delete taxonomy_;
        delete analyzer_;
    }

    /// Builds the document the way the indexer does (before topics are known).
    static Xapian::Document build(const std::string& title, const std::string& body, const std::string& id = "a1") {
        Article a;
        a.id = id;
        a.title = title;
        a.body = body;
        a.lang = "en";
        Xapian::TermGenerator tg = analyzer_->make_term_generator("en");
        return analyzer_->build_document(a, tg);
    }

    static std::vector<TopicScore> classify(const std::string& title, const std::string& body) {
        return classifier_->classify(build(title, body), "en");
    }

    static Analyzer* analyzer_;
    static Taxonomy* taxonomy_;
    static TopicClassifier* classifier_;
};

Analyzer* TopicsTest::analyzer_ = nullptr;
Taxonomy* TopicsTest::taxonomy_ = nullptr;
TopicClassifier* TopicsTest::classifier_ = nullptr;

// ---- Taxonomy loading -------------------------------------------------------------------------

struct BadTaxonomyCase {
    const char* name;
    const char* toml;
    std::vector<std::string> expected; ///< substrings of the error message
};

const std::vector<BadTaxonomyCase> kBadTaxonomies = {
    {"toml_syntax", "[[topic]\nid = \"x\"", {"topics.toml:", "TOML syntax"}},
    {"no_topics", "", {"no [[topic]]"}},
    {"unknown_top_level_key", "colour = 1\n[[topic]]\nid = \"a\"\nrules = [{query = \"oil\"}]\n", {"unknown key 'colour'"}},
    {"missing_id", "[[topic]]\nlabel = \"Energy\"\nrules = [{query = \"oil\"}]\n", {"topic #1", "missing string key 'id'"}},
    {"bad_id", "[[topic]]\nid = \"Energy Topic\"\nrules = [{query = \"oil\"}]\n", {"topic #1", "Energy Topic"}},
    {"duplicate_id",
     "[[topic]]\nid = \"energy\"\nrules = [{query = \"oil\"}]\n[[topic]]\nid = \"energy\"\nrules = [{query = \"gas\"}]\n",
     {"topic 'energy'", "duplicate id", "topics.toml:5"}},
    {"unknown_topic_key", "[[topic]]\nid = \"energy\"\ncolour = \"red\"\nrules = [{query = \"oil\"}]\n",
     {"topic 'energy'", "unknown key 'colour'"}},
    {"missing_rules", "[[topic]]\nid = \"energy\"\n", {"topic 'energy'", "'rules'"}},
    {"empty_rules", "[[topic]]\nid = \"energy\"\nrules = []\n", {"topic 'energy'", "'rules'"}},
    {"rule_not_table", "[[topic]]\nid = \"energy\"\nrules = [\"oil\"]\n", {"topic 'energy' rule #1", "expected a table"}},
    {"unknown_rule_key", "[[topic]]\nid = \"energy\"\nrules = [{query = \"oil\"}, {query = \"gas\", wieght = 2}]\n",
     {"topic 'energy' rule #2", "unknown key 'wieght'"}},
    {"missing_query", "[[topic]]\nid = \"energy\"\nrules = [{weight = 2.0}]\n", {"topic 'energy' rule #1", "'query'"}},
    {"weight_not_number", "[[topic]]\nid = \"energy\"\nrules = [{query = \"oil\", weight = \"heavy\"}]\n",
     {"topic 'energy' rule #1 (oil)", "'weight' must be a number"}},
    {"bad_query_syntax", "[[topic]]\nid = \"energy\"\nrules = [{query = \"oil\"}, {query = \"oil AND\"}]\n",
     {"topic 'energy' rule #2 (oil AND)", "bad query syntax"}},
    {"wildcard_rule", "[[topic]]\nid = \"energy\"\nrules = [{query = \"petrol*\"}]\n",
     {"topic 'energy' rule #1 (petrol*)", "wildcards are not supported"}},
    {"unsupported_operator", "[[topic]]\nid = \"energy\"\nrules = [{query = \"date:2019-01-01..2020-01-01\"}]\n",
     {"topic 'energy' rule #1", "not supported"}},
    {"threshold_not_positive", "[[topic]]\nid = \"energy\"\nthreshold = -1\nrules = [{query = \"oil\"}]\n",
     {"topic 'energy'", "'threshold'"}},
    {"threshold_not_number", "[[topic]]\nid = \"energy\"\nthreshold = \"high\"\nrules = [{query = \"oil\"}]\n",
     {"topic 'energy'", "'threshold'"}},
};

TEST_F(TopicsTest, TaxonomyErrorsNameTopicAndRule) {
    for (const auto& c : kBadTaxonomies) {
        SCOPED_TRACE(c.name);
        auto tax = Taxonomy::parse(c.toml, *analyzer_, "topics.toml");
        ASSERT_FALSE(tax.has_value());
        EXPECT_EQ(tax.error().code, gazette::ErrorCode::bad_config);
        for (const auto& want : c.expected) {
            EXPECT_NE(tax.error().message.find(want), std::string::npos)
                << "message '" << tax.error().message << "' lacks '" << want << "'";
        }
    }
}

TEST_F(TopicsTest, ParsesValidTaxonomyWithDefaults) {
    auto tax = Taxonomy::parse("[[topic]]\nid = \"energy\"\nlabel = \"Energy\"\ndescription = \"d\"\n"
                               "threshold = 2\nrules = [{query = \"oil\", weight = 2}, {query = '\"natural gas\"'}]\n",
                               *analyzer_);
    ASSERT_TRUE(tax.has_value()) << tax.error().message;
    ASSERT_EQ(tax->topics().size(), 1u);
    const auto* t = tax->find("energy");
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->label, "Energy");
    EXPECT_DOUBLE_EQ(t->threshold, 2.0);
    ASSERT_EQ(t->rules.size(), 2u);
    EXPECT_DOUBLE_EQ(t->rules[0].weight, 2.0);
    EXPECT_DOUBLE_EQ(t->rules[1].weight, 1.0);
    EXPECT_EQ(tax->find("military"), nullptr);
}

TEST_F(TopicsTest, DefaultTaxonomyCoversRequiredTopics) {
    for (const char* id : {"energy", "military", "sanctions", "diplomacy", "trade", "technology", "nuclear",
                           "security", "politics", "health"}) {
        EXPECT_NE(taxonomy_->find(id), nullptr) << id;
    }
}

// ---- Classification ---------------------------------------------------------------------------

TEST_F(TopicsTest, ExampleArticleGetsRequiredTopics) {
    const std::string text = read_file(std::string(GAZETTE_SHARED_DIR) + "/examples/scraped-article-russia-china.txt");
    ASSERT_GT(text.size(), 1000u);
    const auto topics = classify("", text);
    for (const char* id : {"energy", "military", "sanctions", "diplomacy", "trade"}) {
        EXPECT_TRUE(has(topics, id)) << id << " missing; got " << topics_string(topics);
    }
    for (std::size_t i = 1; i < topics.size(); ++i) {
        EXPECT_GE(topics[i - 1].score, topics[i].score) << "not sorted best first";
    }
}

TEST_F(TopicsTest, FootballArticleGetsNoGeopoliticalTopics) {
    const std::string body =
        "Manchester United came from behind to beat Liverpool 2-1 at Old Trafford on Sunday, with a late "
        "header from their captain sealing a win that lifts them to third in the Premier League table.\n\n"
        "Liverpool dominated the first half and took the lead through a penalty after a foul in the box. "
        "The home side's defence looked shaky and the visitors' attack kept pressing, but the goalkeeper "
        "made three fine saves to keep the deficit at one goal.\n\n"
        "After the break the manager switched to a more offensive formation. The striker equalised with a "
        "low shot from the edge of the area, and the fans roared as the winger's cross found the captain "
        "for the winning goal in stoppage time. The coach praised the squad's fighting spirit and said the "
        "title race was wide open. The club will face Arsenal in the cup next weekend, while Liverpool, "
        "who have now lost two matches in a row, host Chelsea.";
    const auto topics = classify("United snatch late win over Liverpool", body);
    for (const char* id : {"energy", "military", "sanctions", "diplomacy"}) {
        EXPECT_FALSE(has(topics, id)) << id << " assigned; got " << topics_string(topics);
    }
}

TEST_F(TopicsTest, OneParagraphOilBriefGetsEnergy) {
    const auto topics = classify("Oil climbs on supply worries",
                                 "Crude oil prices rose 2 percent on Monday after OPEC signalled it would keep "
                                 "output cuts in place, traders said.");
    EXPECT_TRUE(has(topics, "energy")) << topics_string(topics);
}

TEST_F(TopicsTest, UnrelatedShortTextGetsNothing) {
    const auto topics = classify("Recipe", "Whisk the eggs with sugar and butter, then bake the cake for forty minutes.");
    EXPECT_TRUE(topics.empty()) << topics_string(topics);
}

TEST_F(TopicsTest, NegativeRulesCountAgainstTopic) {
    auto tax = Taxonomy::parse("[[topic]]\nid = \"energy\"\nthreshold = 1\n"
                               "rules = [{query = \"oil\"}, {query = '\"palm oil\"', weight = -5}]\n",
                               *analyzer_);
    ASSERT_TRUE(tax.has_value()) << tax.error().message;
    TopicClassifier c(*tax, *analyzer_);
    EXPECT_TRUE(has(c.classify(build("", "The oil tanker docked and oil was unloaded."), "en"), "energy"));
    EXPECT_FALSE(has(c.classify(build("", "Palm oil output in Malaysia rose."), "en"), "energy"));
}

TEST_F(TopicsTest, PhraseAndNearRulesUsePositions) {
    auto tax = Taxonomy::parse("[[topic]]\nid = \"gas\"\nthreshold = 0.5\nrules = [{query = '\"natural gas\"'}]\n"
                               "[[topic]]\nid = \"near\"\nthreshold = 0.5\nrules = [{query = \"oil NEAR/2 price\"}]\n",
                               *analyzer_);
    ASSERT_TRUE(tax.has_value()) << tax.error().message;
    TopicClassifier c(*tax, *analyzer_);
    const auto hit = c.classify(build("", "Natural gas flows resumed; the oil price fell."), "en");
    EXPECT_TRUE(has(hit, "gas"));
    EXPECT_TRUE(has(hit, "near"));
    const auto miss = c.classify(build("", "Gas that is natural. The oil tanker crossed a wide sea at a price."), "en");
    EXPECT_FALSE(has(miss, "gas")) << topics_string(miss);
    EXPECT_FALSE(has(miss, "near")) << topics_string(miss);
}

TEST_F(TopicsTest, EditorTopicsAreMergedAndMarked) {
    std::vector<TopicScore> classified = {{"energy", 7.5, false}, {"trade", 4.0, false}};
    const auto merged = classifier_->merge({"Diplomacy", "energy", "diplomacy"}, classified);
    ASSERT_EQ(ids_of(merged), (std::vector<std::string>{"diplomacy", "energy", "trade"}));
    EXPECT_TRUE(merged[0].editor);
    EXPECT_DOUBLE_EQ(merged[0].score, 1.0);
    EXPECT_TRUE(merged[1].editor);
    EXPECT_DOUBLE_EQ(merged[1].score, 7.5); // the classifier's score is kept
    EXPECT_FALSE(merged[2].editor);
    EXPECT_DOUBLE_EQ(merged[2].score, 4.0);
}

TEST_F(TopicsTest, StoredDocumentClassifiesLikeFreshOne) {
    const std::string text = read_file(std::string(GAZETTE_SHARED_DIR) + "/examples/scraped-article-russia-china.txt");
    Article a;
    a.id = "example";
    a.title = "Russia and China: a strategic partnership";
    a.body = text;
    a.lang = "en";
    Xapian::TermGenerator tg = analyzer_->make_term_generator("en");
    Xapian::Document fresh = analyzer_->build_document(a, tg);
    const auto before = classifier_->classify(fresh, "en");
    ASSERT_FALSE(before.empty());
    a.topics = classifier_->merge({"editorial"}, before);
    analyzer_->retopic_document(fresh, a);

    TempDir dir;
    const std::string db_path = (dir.path() / "db").string();
    {
        Xapian::WritableDatabase wdb(db_path, Xapian::DB_CREATE_OR_OPEN);
        wdb.replace_document("Qexample", fresh);
        wdb.commit();
    }
    Xapian::Database db(db_path);
    ASSERT_EQ(db.get_doccount(), 1u);
    const Xapian::Document stored = db.get_document(*db.postlist_begin("Qexample"));
    const auto after = classifier_->classify(stored, "en");
    ASSERT_EQ(ids_of(after), ids_of(before));
    for (std::size_t i = 0; i < after.size(); ++i) {
        EXPECT_DOUBLE_EQ(after[i].score, before[i].score) << after[i].id;
    }
}

TEST_F(TopicsTest, SmallTaxonomyIgnoresTopicTermsInLength) {
    // the classifier stops reading a document once the taxonomy's (sorted) terms are used up;
    // the document's topic terms must still all be left out of its length. The only rule term
    // here ("Len") sorts before the XTOPIC terms, so the taxonomy runs out before them.
    auto tax = Taxonomy::parse("[[topic]]\nid = \"orchard\"\nthreshold = 0.1\n"
                               "rules = [{query = \"lang:en\", weight = 1.0}]\n",
                               *analyzer_);
    ASSERT_TRUE(tax.has_value()) << tax.error().message;
    const TopicClassifier small(*tax, *analyzer_);
    Article a;
    a.id = "o1";
    a.title = "Apples";
    a.body = "Apples, pears and plums from the valley orchards, picked by hand in zesty weather.";
    a.lang = "en";
    Xapian::TermGenerator tg = analyzer_->make_term_generator("en");
    Xapian::Document doc = analyzer_->build_document(a, tg);
    const auto before = small.classify(doc, "en");
    ASSERT_EQ(ids_of(before), (std::vector<std::string>{"orchard"}));
    a.topics = small.merge({"editorial", "farming"}, before);
    analyzer_->retopic_document(doc, a);
    const auto after = small.classify(doc, "en");
    ASSERT_EQ(ids_of(after), ids_of(before));
    EXPECT_DOUBLE_EQ(after.front().score, before.front().score);
    EXPECT_DOUBLE_EQ(small.evidence(doc, "en").length, small.evidence(analyzer_->build_document(a, tg), "en").length);
}

TEST_F(TopicsTest, EvidenceReproducesClassifyScores) {
    // the trainer (bench/topics/topics_train.cpp) learns weights from evidence(); it must be
    // exactly what classify() sums, or learned weights would not mean what they were fitted for
    const std::string text = read_file(std::string(GAZETTE_SHARED_DIR) + "/examples/scraped-article-russia-china.txt");
    const Xapian::Document doc = build("Russia and China", text);
    const auto ev = classifier_->evidence(doc, "en");
    ASSERT_EQ(ev.rules.size(), taxonomy_->topics().size());
    EXPECT_GT(ev.length, 100.0);
    std::vector<std::string> ids;
    std::vector<double> thresholds, scores;
    for (std::size_t t = 0; t < taxonomy_->topics().size(); ++t) {
        const auto& def = taxonomy_->topics()[t];
        ids.push_back(def.id);
        thresholds.push_back(def.threshold);
        double s = 0.0;
        for (const auto& [rule, value] : ev.rules[t]) {
            ASSERT_LT(rule, def.rules.size());
            EXPECT_GT(value, 0.0);
            EXPECT_LT(value, 2.2 + 1e-9); // saturation bound k1 + 1
            s += def.rules[rule].weight * value;
        }
        scores.push_back(s);
    }
    const auto direct = classifier_->classify(doc, "en");
    const auto rebuilt = gazette::select_topics(ids, thresholds, scores, ev.length);
    ASSERT_EQ(ids_of(rebuilt), ids_of(direct));
    for (std::size_t i = 0; i < direct.size(); ++i) {
        EXPECT_DOUBLE_EQ(rebuilt[i].score, direct[i].score) << direct[i].id;
    }
}

TEST_F(TopicsTest, SelectTopicsAppliesLengthFactorAndRelativeCutoff) {
    const std::vector<std::string> ids = {"a", "b", "c"};
    const std::vector<double> thresholds = {3.0, 3.0, 3.0};
    // a brief (100 terms): thresholds are lowered, and a topic far below the best one is dropped
    const double brief = gazette::topic_threshold_factor(100.0);
    EXPECT_LT(brief, 1.0);
    EXPECT_GE(brief, 0.6);
    const auto short_doc = gazette::select_topics(ids, thresholds, {10.0, 2.9, 5.0}, 100.0);
    EXPECT_EQ(ids_of(short_doc), (std::vector<std::string>{"a"})); // c: 5 < 0.6 x 10
    // a long article (4000 terms): thresholds are raised, and every topic that passes is kept
    EXPECT_GT(gazette::topic_threshold_factor(4000.0), 1.0);
    const auto long_doc = gazette::select_topics(ids, thresholds, {10.0, 3.2, 5.0}, 4000.0);
    EXPECT_EQ(ids_of(long_doc), (std::vector<std::string>{"a", "c"})); // b: 3.2 < 3 x factor
}

TEST_F(TopicsTest, UnknownLanguageFallsBackToDefault) {
    const auto doc = build("Oil climbs", "Crude oil prices rose after OPEC kept output cuts, traders said.");
    EXPECT_EQ(ids_of(classifier_->classify(doc, "xx")), ids_of(classifier_->classify(doc, "en")));
}

} // namespace
