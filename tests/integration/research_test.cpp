// Issue 4 end to end: the research side of searchd (query language, synonyms, spelling,
// POST /search, cursors, trends, export, similar, explain, generations) against the real
// gazette-indexer and gazette-searchd on loopback, over a 26-article fixture whose expected
// hits are checked by hand (tests/data/research/articles.jsonl).

#include "tests/support/temp_dir.hpp"
#include "support/http_client.hpp"
#include "support/process.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>
#include <chrono>

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace gazette::test;

namespace {

using TempDir = ::gazette::test::TempDir;

std::string read_file(const fs::path& p) {
    std::ifstream in(p);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
    for (auto pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
        s.replace(pos, from.size(), to);
    }
}

using Ids = std::set<std::string>;

class ResearchSuite : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir();
        const fs::path root(GAZETTE_SOURCE_DIR);
        // A config beside its own topics and synonyms files, with small limits to test them.
        const fs::path conf = dir_->path() / "conf";
        fs::create_directories(conf);
        std::string toml = read_file(root / "config/gazette.toml");
        replace_all(toml, "max_result_window = 10000", "max_result_window = 20");
        replace_all(toml, "max_limit = 100 ", "max_limit = 20 ");
        replace_all(toml, "max_wildcard_expansion = 1000", "max_wildcard_expansion = 8");
        replace_all(toml, "[rate_limit]\nenabled = true", "[rate_limit]\nenabled = false");
        std::ofstream(conf / "gazette.toml") << toml;
        fs::copy_file(root / "config/topics.toml", conf / "topics.toml");
        fs::copy_file(root / "config/synonyms.txt", conf / "synonyms.txt");
        config_ = new std::string((conf / "gazette.toml").string());
        data_ = new std::string((dir_->path() / "data").string());

        const fs::path inputs = dir_->path() / "inputs";
        fs::create_directories(inputs);
        fs::copy_file(root / "tests/data/research/articles.jsonl", inputs / "articles.jsonl");
        std::string out;
        index_exit_ = run_command({GAZETTE_INDEXER_BIN, "index", "--data-dir", *data_, "--config", *config_,
                                   inputs.string()},
                                  &out);
        index_output_ = new std::string(out);
        const fs::path ready = dir_->path() / "searchd.port";
        daemon_ = new Daemon({GAZETTE_SEARCHD_BIN, "--data-dir", *data_, "--config", *config_, "--listen",
                              "127.0.0.1:0", "--threads", "2", "--ready-file", ready.string()},
                             ready, dir_->path() / "searchd.log");
        port_ = daemon_->port();
    }
    static void TearDownTestSuite() {
        const int status = daemon_->stop();
        EXPECT_EQ(status, 0) << daemon_->log();
        delete daemon_;
        delete index_output_;
        delete config_;
        delete data_;
        delete dir_;
    }

    static json::object get_json(const std::string& target, int expected_status = 200) {
        const auto r = http_get(port_, target);
        EXPECT_EQ(r.status, expected_status) << target << "\n" << r.body;
        boost::system::error_code ec;
        auto v = json::parse(r.body, ec);
        EXPECT_FALSE(ec) << r.body;
        return ec || !v.is_object() ? json::object{} : v.as_object();
    }

    static json::object search(const std::string& q, const std::string& extra = "") {
        return get_json("/search?limit=20&q=" + url_encode(q) + extra);
    }

    static Ids ids_of(const json::object& response) {
        Ids ids;
        if (!response.contains("hits")) {
            return ids;
        }
        for (const auto& h : response.at("hits").as_array()) {
            ids.emplace(h.at("id").as_string());
        }
        return ids;
    }

    static Ids hits(const std::string& q, const std::string& extra = "") { return ids_of(search(q, extra)); }

    static inline TempDir* dir_ = nullptr;
    static inline Daemon* daemon_ = nullptr;
    static inline std::string* index_output_ = nullptr;
    static inline std::string* config_ = nullptr;
    static inline std::string* data_ = nullptr;
    static inline int index_exit_ = -1;
    static inline unsigned short port_ = 0;
};

} // namespace

TEST_F(ResearchSuite, FixtureIndexed) {
    ASSERT_EQ(index_exit_, 0) << *index_output_;
    EXPECT_EQ(get_json("/stats").at("articles").as_int64(), 26);
}

TEST_F(ResearchSuite, WordsPhrasesAndBooleans) {
    EXPECT_EQ(hits("solar"), (Ids{"r01", "r02", "r04", "r12", "r21"}));
    EXPECT_EQ(hits("\"solar panels\""), (Ids{"r01"}));
    EXPECT_EQ(hits("solar AND wind"), (Ids{"r04", "r12"}));
    EXPECT_EQ(hits("solar NOT eclipse"), (Ids{"r01", "r02", "r04", "r12"}));
    EXPECT_EQ(hits("solar -eclipse"), (Ids{"r01", "r02", "r04", "r12"}));
    EXPECT_EQ(hits("+solar +wind"), (Ids{"r04", "r12"}));
    EXPECT_EQ(hits("reactor OR hydrogen"), (Ids{"r07", "r13"}));
    EXPECT_EQ(hits("(solar OR wind) AND coal"), (Ids{"r12"}));
    EXPECT_EQ(hits("coal wind", "&op=and"), (Ids{"r12"}));
}

TEST_F(ResearchSuite, Proximity) {
    EXPECT_EQ(hits("battery NEAR factories"), (Ids{"r06"}));
    EXPECT_EQ(hits("battery ADJ factories"), (Ids{"r06"}));
    // NEAR/n: at most n words apart ("lithium from Chile" is 2, "Lithium mining in Chile" 3).
    EXPECT_EQ(hits("lithium NEAR/2 chile"), (Ids{"r06"}));
    EXPECT_EQ(hits("lithium NEAR/3 chile"), (Ids{"r06", "r25"}));
    // "central bank" is in r09 and r10; NEAR/1 keeps words next to each other.
    EXPECT_EQ(hits("central NEAR/1 bank"), (Ids{"r09", "r10"}));
    // r09: "rates to fight inflation" is 3 apart.
    EXPECT_EQ(hits("inflation NEAR/2 rates"), Ids{});
    EXPECT_EQ(hits("inflation NEAR/3 rates"), (Ids{"r09"}));
}

TEST_F(ResearchSuite, FieldPrefixes) {
    EXPECT_EQ(hits("title:solar"), (Ids{"r01", "r02", "r21"}));
    EXPECT_EQ(hits("author:klee"), (Ids{"r02", "r06", "r16", "r25"}));
    EXPECT_EQ(hits("source:tech"), (Ids{"r14", "r15"}));
    EXPECT_EQ(hits("tag:lithium"), (Ids{"r06", "r25"}));
    EXPECT_EQ(hits("lang:de"), (Ids{"r26"}));
    const Ids health = hits("topic:health");
    EXPECT_TRUE(health.count("r17") && health.count("r18"));
    EXPECT_FALSE(health.count("r01"));
    EXPECT_EQ(hits("solar topic:trade"), (Ids{"r02"}));
}

TEST_F(ResearchSuite, WildcardsAndTheirLimit) {
    EXPECT_EQ(hits("semicond*"), (Ids{"r15", "r16"}));
    EXPECT_EQ(hits("turbin*"), (Ids{"r03", "r22"}));
    // Far more than 8 terms start with "s": a clear 400, not a stall.
    const auto r = get_json("/search?q=" + url_encode("s*"), 400);
    EXPECT_EQ(r.at("error").at("code").as_string(), "too_complex");
}

TEST_F(ResearchSuite, DateRanges) {
    EXPECT_EQ(hits("date:2023-01-01..2023-03-31"), (Ids{"r13", "r14", "r15", "r16"}));
    EXPECT_EQ(hits("date:2024-01-01.."), (Ids{"r21", "r22", "r23", "r25", "r26"}));
    EXPECT_EQ(hits("date:..2021-12-31"), (Ids{"r01", "r02", "r03"}));
    EXPECT_EQ(hits("solar date:2022-01-01..2022-12-31"), (Ids{"r04", "r12"}));
}

TEST_F(ResearchSuite, BadQueriesAre400WithAMessage) {
    for (const std::string q : {"(solar", "solar)", "\"solar", "date:2020-13-01..", "date:..",
                                "date:yesterday"}) {
        const auto r = get_json("/search?q=" + url_encode(q), 400);
        ASSERT_TRUE(r.contains("error")) << q;
        EXPECT_FALSE(r.at("error").at("message").as_string().empty()) << q;
        EXPECT_TRUE(r.at("error").as_object().contains("position")) << q;
    }
}

TEST_F(ResearchSuite, SynonymsFromConfigFile) {
    // usa, united states, us, america: r06 says "USA", r05 "United States".
    EXPECT_EQ(hits("usa"), (Ids{"r05", "r06"}));
    EXPECT_EQ(hits("america"), (Ids{"r05", "r06"}));
    EXPECT_EQ(hits("united states"), (Ids{"r05", "r06"}));
    // Quoted text is taken literally.
    EXPECT_EQ(hits("\"united states\""), (Ids{"r05"}));
}

TEST_F(ResearchSuite, SpellingSuggestions) {
    auto r = search("turbnes");
    EXPECT_TRUE(ids_of(r).empty());
    ASSERT_TRUE(r.at("suggestion").is_string()) << json::serialize(r);
    EXPECT_EQ(r.at("suggestion").as_string(), "turbines");
    r = search("lithum mining");
    ASSERT_TRUE(r.at("suggestion").is_string());
    EXPECT_EQ(r.at("suggestion").as_string(), "lithium mining");
    EXPECT_TRUE(search("solar").at("suggestion").is_null());
}

TEST_F(ResearchSuite, PostSearchWithJsonBody) {
    const auto r = http_request(port_, "POST", "/search",
                                R"({"q":"solar","topic":["trade","energy"],"limit":20,"facets":["topic"]})",
                                {{"Content-Type", "application/json"}});
    ASSERT_EQ(r.status, 200) << r.body;
    const auto v = json::parse(r.body).as_object();
    const Ids ids = ids_of(v);
    EXPECT_TRUE(ids.count("r01") && ids.count("r02")) << r.body;
    EXPECT_FALSE(ids.count("r21"));
    std::string deep(70, '[');
    deep = R"({"q":)" + deep + std::string(70, ']') + "}";
    const auto d = http_request(port_, "POST", "/search", deep, {{"Content-Type", "application/json"}});
    EXPECT_EQ(d.status, 400) << d.body;
    const auto bad = http_request(port_, "POST", "/search", R"({"q": "x",)", {{"Content-Type", "application/json"}});
    EXPECT_EQ(bad.status, 400);
    EXPECT_NE(bad.body.find("bad_json"), std::string::npos) << bad.body;
}

TEST_F(ResearchSuite, NumbersArePlainDecimals) {
    const auto r = http_get(port_, "/search?q=solar");
    EXPECT_EQ(r.body.find("E-"), std::string::npos) << r.body;
    EXPECT_TRUE(std::regex_search(r.body, std::regex(R"("score":[0-9]+(\.[0-9]{1,3})?[,}])"))) << r.body;
}

TEST_F(ResearchSuite, CursorPagesBeyondTheResultWindow) {
    // max_result_window is 20 here: offset paging stops, cursors go on.
    EXPECT_EQ(get_json("/search?q=&limit=5&offset=20", 400).at("error").at("code").as_string(), "bad_request");
    for (const std::string sort : {"relevance", "date", "-date"}) {
        std::vector<std::string> seen;
        std::string target = "/search?q=&limit=4&facets=&sort=" + sort;
        for (int page = 0; page < 20; ++page) {
            const auto r = get_json(target);
            for (const auto& h : r.at("hits").as_array()) {
                seen.emplace_back(h.at("id").as_string());
            }
            if (r.at("next_cursor").is_null()) {
                break;
            }
            target = "/search?limit=4&facets=&cursor=" + url_encode(std::string(r.at("next_cursor").as_string()));
        }
        EXPECT_EQ(seen.size(), 26u) << sort;
        EXPECT_EQ(Ids(seen.begin(), seen.end()).size(), 26u) << sort << ": duplicates";
    }
}

TEST_F(ResearchSuite, TrendsPerYearWithGapsAndTopicSplit) {
    const auto r = get_json("/trends?q=solar&interval=year");
    EXPECT_EQ(r.at("interval").as_string(), "year");
    const auto& b = r.at("buckets").as_array();
    ASSERT_EQ(b.size(), 4u) << json::serialize(r);
    const std::vector<std::pair<std::string, int>> expected = {{"2021", 2}, {"2022", 2}, {"2023", 0}, {"2024", 1}};
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(b[i].at("key").as_string(), expected[i].first);
        EXPECT_EQ(b[i].at("count").as_int64(), expected[i].second);
    }
    EXPECT_EQ(r.at("total").as_int64(), 5);
    EXPECT_FALSE(r.at("generation").as_string().empty());

    const auto m = get_json("/trends?q=&interval=month&from=2022-01-01&to=2022-03-31");
    const auto& mb = m.at("buckets").as_array();
    ASSERT_EQ(mb.size(), 3u);
    EXPECT_EQ(mb[0].at("key").as_string(), "2022-01");
    EXPECT_EQ(mb[1].at("count").as_int64(), 2); // r05, r06
    EXPECT_EQ(mb[2].at("count").as_int64(), 2); // r07, r08

    const auto d = get_json("/trends?q=lithium&interval=day");
    EXPECT_EQ(d.at("buckets").as_array().front().at("key").as_string(), "2022-01-10");
    EXPECT_EQ(d.at("buckets").as_array().back().at("key").as_string(), "2024-03-12");

    const auto w = get_json("/trends?q=reactor&interval=week");
    EXPECT_EQ(w.at("buckets").as_array().front().at("key").as_string(), "2022-02-28"); // Monday

    const auto s = get_json("/trends?q=solar&interval=year&split=topic");
    ASSERT_TRUE(s.contains("series"));
    const auto& energy = s.at("series").at("energy").as_array();
    ASSERT_EQ(energy.size(), 4u);
    EXPECT_GE(energy[0].at("count").as_int64(), 1); // r01
    get_json("/trends?q=solar&interval=decade", 400);
}

namespace {

/// RFC 4180 parser for the test: rows of fields.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
    std::vector<std::vector<std::string>> rows(1);
    std::string field;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            rows.back().push_back(field);
            field.clear();
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            rows.back().push_back(field);
            field.clear();
            rows.emplace_back();
            ++i;
        } else {
            field += c;
        }
    }
    if (rows.back().empty()) {
        rows.pop_back();
    }
    return rows;
}

} // namespace

TEST_F(ResearchSuite, ExportEqualsPagedSearch) {
    // Every hit of "solar OR wind OR energy" by paging /search...
    Ids paged;
    std::string target = "/search?limit=3&facets=&q=" + url_encode("solar OR wind OR energy");
    for (int i = 0; i < 20; ++i) {
        const auto r = get_json(target);
        const Ids page = ids_of(r);
        paged.insert(page.begin(), page.end());
        if (r.at("next_cursor").is_null()) {
            break;
        }
        // A cursor continues the same query: q is given again.
        target = "/search?limit=3&facets=&q=" + url_encode("solar OR wind OR energy") +
                 "&cursor=" + url_encode(std::string(r.at("next_cursor").as_string()));
    }
    ASSERT_GE(paged.size(), 7u);
    // ...equals the NDJSON export, in relevance and in date order.
    for (const std::string sort : {"relevance", "date", "-date"}) {
        const auto r = http_get(port_, "/export?format=ndjson&sort=" + sort + "&q=" + url_encode("solar OR wind OR energy"));
        ASSERT_EQ(r.status, 200) << r.body;
        EXPECT_NE(r.header("content-type").find("ndjson"), std::string::npos);
        EXPECT_NE(r.header("content-disposition").find("attachment"), std::string::npos);
        Ids exported;
        std::vector<std::string> dates;
        std::istringstream lines(r.body);
        for (std::string line; std::getline(lines, line);) {
            const auto o = json::parse(line).as_object();
            exported.emplace(o.at("id").as_string());
            dates.emplace_back(o.at("date").as_string());
        }
        EXPECT_EQ(exported, paged) << sort;
        if (sort == "-date") {
            EXPECT_TRUE(std::is_sorted(dates.begin(), dates.end())) << r.body;
        }
    }
}

TEST_F(ResearchSuite, ExportKeepsTheSearchOrderOfCoordinatedQueries) {
    // Two- and three-word queries rank articles with more of the words first (coordination
    // tiers); an export in relevance order lists the hits in /search's order with its scores.
    for (const std::string q : {"solar wind", "wind energy policy", "solar OR wind OR energy"}) {
        const auto s = get_json("/search?limit=20&facets=&snippet=0&q=" + url_encode(q));
        std::vector<std::pair<std::string, double>> searched;
        for (const auto& h : s.at("hits").as_array()) {
            searched.emplace_back(std::string(h.at("id").as_string()), h.at("score").to_number<double>());
        }
        ASSERT_GE(searched.size(), 3u) << q;
        const auto r = http_get(port_, "/export?format=ndjson&sort=relevance&q=" + url_encode(q));
        ASSERT_EQ(r.status, 200) << r.body;
        std::vector<std::pair<std::string, double>> exported;
        std::istringstream lines(r.body);
        for (std::string line; std::getline(lines, line);) {
            const auto o = json::parse(line).as_object();
            exported.emplace_back(std::string(o.at("id").as_string()),
                                  o.contains("score") ? o.at("score").to_number<double>() : -1.0);
        }
        ASSERT_LE(searched.size(), 20u);
        ASSERT_GE(exported.size(), searched.size()) << q;
        exported.resize(searched.size()); // /search shows the first 20 (max_limit in this suite)
        for (std::size_t i = 0; i < exported.size(); ++i) {
            EXPECT_EQ(exported[i].first, searched[i].first) << q << " rank " << i;
            if (exported[i].second >= 0) {
                EXPECT_NEAR(exported[i].second, searched[i].second, 0.002) << q << " rank " << i;
            }
        }
    }
}

TEST_F(ResearchSuite, ExportCsvRisBibtex) {
    const auto csv = http_get(port_, "/export?format=csv&fields=id,title,author,snippet&q=" + url_encode("solar"));
    ASSERT_EQ(csv.status, 200) << csv.body;
    EXPECT_NE(csv.header("content-type").find("text/csv"), std::string::npos);
    const auto rows = parse_csv(csv.body);
    ASSERT_EQ(rows.size(), 6u) << csv.body; // header + 5 hits
    EXPECT_EQ(rows[0], (std::vector<std::string>{"id", "title", "author", "snippet"}));
    Ids ids;
    for (std::size_t i = 1; i < rows.size(); ++i) {
        ASSERT_EQ(rows[i].size(), 4u) << csv.body;
        ids.insert(rows[i][0]);
    }
    EXPECT_EQ(ids, (Ids{"r01", "r02", "r04", "r12", "r21"}));
    // tags come from the stored article (r02 is tagged solar and tariffs).
    const auto tagged = http_get(port_, "/export?format=ndjson&fields=id,tags&q=" + url_encode("title:tariffs"));
    ASSERT_EQ(tagged.status, 200) << tagged.body;
    bool saw_r02 = false;
    std::istringstream tag_lines(tagged.body);
    for (std::string line; std::getline(tag_lines, line);) {
        const auto o = json::parse(line).as_object();
        ASSERT_TRUE(o.contains("tags")) << line;
        EXPECT_FALSE(o.contains("body")) << "tags alone do not export the body: " << line;
        if (o.at("id").as_string() == "r02") {
            saw_r02 = true;
            EXPECT_EQ(json::serialize(o.at("tags")), "[\"solar\",\"tariffs\"]") << line;
        }
    }
    EXPECT_TRUE(saw_r02) << tagged.body;
    // lang is an export field too.
    const auto langs = parse_csv(http_get(port_, "/export?format=csv&fields=id,lang&q=" + url_encode("solar")).body);
    ASSERT_EQ(langs.size(), 6u);
    EXPECT_EQ(langs[0], (std::vector<std::string>{"id", "lang"}));
    for (std::size_t i = 1; i < langs.size(); ++i) {
        ASSERT_EQ(langs[i].size(), 2u);
        EXPECT_EQ(langs[i][1].size(), 2u) << "an ISO 639-1 code: " << langs[i][1];
    }

    const auto ris = http_get(port_, "/export?format=ris&q=" + url_encode("solar"));
    ASSERT_EQ(ris.status, 200);
    auto count = [](const std::string& text, const std::string& what) {
        std::size_t n = 0;
        for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) {
            ++n;
        }
        return n;
    };
    EXPECT_EQ(count(ris.body, "TY  - NEWS"), 5u);
    EXPECT_EQ(count(ris.body, "ER  - "), 5u);
    EXPECT_NE(ris.body.find("T2  - Energy Daily"), std::string::npos);
    EXPECT_NE(ris.body.find("PY  - 2021"), std::string::npos);

    const auto bib = http_get(port_, "/export?format=bibtex&q=" + url_encode("solar"));
    ASSERT_EQ(bib.status, 200);
    EXPECT_EQ(count(bib.body, "@misc{"), 5u);
    EXPECT_EQ(count(bib.body, "{"), count(bib.body, "}")) << bib.body;
    EXPECT_NE(bib.body.find("@misc{r01,"), std::string::npos);

    get_json("/export?format=pdf&q=solar", 400);
    get_json("/export?fields=nope&q=solar", 400);
    get_json("/export?q=" + url_encode("(solar"), 400);
}

TEST_F(ResearchSuite, SimilarArticles) {
    const auto r = get_json("/articles/r03/similar?limit=5");
    const auto& h = r.at("hits").as_array();
    ASSERT_FALSE(h.empty());
    std::vector<std::string> ids;
    for (const auto& x : h) {
        ids.emplace_back(x.at("id").as_string());
    }
    EXPECT_EQ(std::count(ids.begin(), ids.end(), "r03"), 0);
    EXPECT_EQ(ids.front(), "r22") << "the other wind-turbine article";
    get_json("/articles/nope/similar", 404);
    const auto f = get_json("/articles/r03/similar?source=" + url_encode("Energy Daily"));
    for (const auto& x : f.at("hits").as_array()) {
        EXPECT_EQ(x.at("source").as_string(), "Energy Daily");
    }
}

TEST_F(ResearchSuite, FeedbackReranksButKeepsTheHitSet) {
    const auto plain = search("solar wind");
    const auto fb = search("solar wind", "&feedback=true");
    EXPECT_EQ(ids_of(plain), ids_of(fb));
    EXPECT_EQ(json::serialize(plain.at("total")), json::serialize(fb.at("total")));
}

TEST_F(ResearchSuite, ExplainContributionsAddUpToTheScore) {
  for (const std::string extra : {"", "&feedback=true"}) {
    const auto r = search("solar wind title:coal", "&explain=true" + extra);
    ASSERT_FALSE(r.at("hits").as_array().empty());
    bool saw_title = false;
    for (const auto& hv : r.at("hits").as_array()) {
        const auto& h = hv.as_object();
        const auto& e = h.at("explain").as_object();
        double sum = 0;
        for (const auto& t : e.at("terms").as_array()) {
            sum += t.at("weight").to_number<double>();
            saw_title |= t.at("field").as_string() == "title";
        }
        EXPECT_NEAR(sum, h.at("score").to_number<double>(), 0.01) << extra << json::serialize(h);
        EXPECT_NEAR(e.at("sum").to_number<double>(), h.at("score").to_number<double>(), 0.002) << extra;
    }
    EXPECT_TRUE(saw_title);
  }
}

TEST_F(ResearchSuite, GenerationsReproduceOldAnswers) {
    const auto before = search("solar");
    const std::string g1(before.at("generation").as_string());
    // A new generation (reindex), then a new solar article in it.
    std::string out;
    ASSERT_EQ(run_command({GAZETTE_INDEXER_BIN, "reindex", "--force", "--data-dir", *data_, "--config", *config_}, &out), 0)
        << out;
    const fs::path more = dir_->path() / "more";
    fs::create_directories(more);
    fs::copy_file(fs::path(GAZETTE_SOURCE_DIR) / "tests/data/research/more.jsonl", more / "more.jsonl");
    ASSERT_EQ(run_command({GAZETTE_INDEXER_BIN, "index", "--data-dir", *data_, "--config", *config_, more.string()}, &out), 0)
        << out;
    // searchd notices the swap within ~100 ms.
    json::object live;
    for (int i = 0; i < 50; ++i) {
        live = search("solar");
        if (live.at("generation").as_string() != g1 && ids_of(live).count("r27")) {
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_NE(live.at("generation").as_string(), g1);
    EXPECT_TRUE(ids_of(live).count("r27"));
    const auto old = search("solar", "&generation=" + g1);
    EXPECT_EQ(old.at("generation").as_string(), g1);
    EXPECT_EQ(json::serialize(old.at("hits")), json::serialize(before.at("hits")));
    EXPECT_EQ(json::serialize(old.at("total")), json::serialize(before.at("total")));
    const auto t = get_json("/trends?q=solar&interval=year&generation=" + g1);
    EXPECT_EQ(t.at("total").as_int64(), 5);
}
