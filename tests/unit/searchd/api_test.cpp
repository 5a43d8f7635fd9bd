#include "common/text.hpp"
#include "searchd/api/errors.hpp"
#include "searchd/api/params.hpp"
#include "searchd/api/service.hpp"
#include "searchd/api/static_files.hpp"
#include "searchd/search/engine.hpp"
#include "test_index.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <future>
#include <thread>
#include <optional>

namespace gazette::searchd::api {
namespace {

using namespace std::chrono_literals;

Result<SearchRequest> parse(const Params& p) { return parse_search_params(p, LimitsConfig{}); }

TEST(Params, Defaults) {
    auto r = parse({});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->limit, 10U);
    EXPECT_EQ(r->offset, 0U);
    EXPECT_EQ(r->snippet_chars, 200U);
    EXPECT_EQ(r->sort, SortOrder::relevance);
    EXPECT_EQ(r->facets, (std::vector<FacetField>{FacetField::topic, FacetField::source, FacetField::year}));
}

TEST(Params, AllFields) {
    auto r = parse({{"q", "gas"}, {"op", "and"}, {"limit", "20"}, {"offset", "40"}, {"sort", "-date"},
                    {"snippet", "0"}, {"topic", "energy"}, {"topic", "trade"}, {"source", "AP"},
                    {"from", "2020"}, {"to", "2021-06"}, {"facets", "lang, month"},
                    {"generation", "g000002"}, {"explain", "true"}, {"unknown", "x"}});
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->q, "gas");
    EXPECT_EQ(r->op, DefaultOp::op_and);
    EXPECT_EQ(r->limit, 20U);
    EXPECT_EQ(r->offset, 40U);
    EXPECT_EQ(r->sort, SortOrder::date_asc);
    EXPECT_EQ(r->snippet_chars, 0U);
    EXPECT_EQ(r->filters.topic, (std::vector<std::string>{"energy", "trade"}));
    EXPECT_EQ(r->filters.from, "2020-01-01");
    EXPECT_EQ(r->filters.to, "2021-06-30");
    EXPECT_EQ(r->facets, (std::vector<FacetField>{FacetField::lang, FacetField::month}));
    EXPECT_EQ(r->generation, "g000002");
    EXPECT_TRUE(r->explain);
}

TEST(Params, Errors) {
    struct Bad {
        Params p;
        std::string field;
    };
    for (const auto& b : std::vector<Bad>{
             {{{"limit", "101"}}, "limit"},
             {{{"limit", "-1"}}, "limit"},
             {{{"limit", "ten"}}, "limit"},
             {{{"offset", "9995"}, {"limit", "10"}}, "offset"},
             {{{"offset", "18446744073709551615"}, {"limit", "10"}}, "offset"}, // offset + limit wraps
             {{{"sort", "title"}}, "sort"},
             {{{"op", "xor"}}, "op"},
             {{{"facets", "topic,colour"}}, "facets"},
             {{{"from", "yesterday"}}, "from"},
             {{{"from", "2021-01-01"}, {"to", "2020-01-01"}}, "from"},
             {{{"q", std::string("\xff\xfe")}}, "q"},
         }) {
        auto r = parse(b.p);
        ASSERT_FALSE(r) << b.field;
        EXPECT_EQ(r.error().location, b.field);
        EXPECT_EQ(http_status(r.error().code), 400U);
    }
    auto window = parse({{"offset", "9995"}, {"limit", "10"}});
    EXPECT_NE(window.error().message.find("cursor"), std::string::npos);
}

TEST(Params, JsonBody) {
    auto p = json_body_params(R"({"q":"gas","topic":["energy","trade"],"limit":5,"facets":["lang","year"],"explain":false})");
    ASSERT_TRUE(p);
    auto r = parse(*p);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->q, "gas");
    EXPECT_EQ(r->limit, 5U);
    EXPECT_EQ(r->filters.topic.size(), 2U);
    EXPECT_EQ(r->facets, (std::vector<FacetField>{FacetField::lang, FacetField::year}));
    EXPECT_FALSE(json_body_params("[1,2]"));
    EXPECT_FALSE(json_body_params("{\"q\":"));
    EXPECT_FALSE(json_body_params(R"({"q":{"a":1}})"));
    std::string deep = "{\"q\":" + std::string(70, '[') + std::string(70, ']') + "}";
    auto d = json_body_params(deep);
    ASSERT_FALSE(d);
    EXPECT_EQ(d.error().code, ErrorCode::bad_json);
}

TEST(Errors, MapsCodesToStatusAndBody) {
    EXPECT_EQ(http_status(ErrorCode::bad_query), 400U);
    EXPECT_EQ(http_status(ErrorCode::too_complex), 400U);
    EXPECT_EQ(http_status(ErrorCode::not_found), 404U);
    EXPECT_EQ(http_status(ErrorCode::too_large), 413U);
    EXPECT_EQ(http_status(ErrorCode::overloaded), 503U);
    EXPECT_EQ(http_status(ErrorCode::timeout), 503U);
    EXPECT_EQ(http_status(ErrorCode::not_ready), 503U);
    EXPECT_EQ(http_status(ErrorCode::internal), 500U);

    auto r = error_response(Error(ErrorCode::bad_query, "unmatched ')'", "q", 4), "rid-1");
    EXPECT_EQ(r.status, 400U);
    auto v = boost::json::parse(r.body);
    EXPECT_EQ(v.at("error").at("code").as_string(), "bad_query");
    EXPECT_EQ(v.at("error").at("position").as_int64(), 4);

    auto i = error_response(Error(ErrorCode::internal, "secret detail"), "rid-2");
    EXPECT_EQ(i.status, 500U);
    EXPECT_EQ(i.body.find("secret"), std::string::npos);
    EXPECT_NE(i.body.find("rid-2"), std::string::npos);

    auto o = error_response(Error(ErrorCode::overloaded, "full"), "");
    EXPECT_EQ(o.status, 503U);
    EXPECT_NE(o.body.find("\"overloaded\""), std::string::npos);
}

TEST(StaticFiles, ServesInsideRootOnly) {
    test::TempDir tmp;
    const auto web = tmp.path() / "web";
    std::filesystem::create_directories(web / "assets");
    std::ofstream(web / "index.html") << "<h1>hi</h1>";
    std::ofstream(web / "assets" / "app.js") << "let x;";
    std::ofstream(tmp.path() / "secret.txt") << "secret";
    std::filesystem::create_symlink(tmp.path() / "secret.txt", web / "link.txt");
    StaticFiles files(web);
    auto index = files.serve("/");
    ASSERT_TRUE(index);
    EXPECT_EQ(index->body, "<h1>hi</h1>");
    EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
    auto js = files.serve("/assets/app.js");
    ASSERT_TRUE(js);
    EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8");
    for (const char* bad : {"/../secret.txt", "/assets/../../secret.txt", "/link.txt",
                            "/assets/..", "/..\\secret.txt", "/nope.html"}) {
        EXPECT_FALSE(files.serve(bad)) << bad;
    }
}

TEST(StaticFiles, BuiltinPageWithoutIndex) {
    test::TempDir tmp;
    StaticFiles files(tmp.path() / "missing");
    auto index = files.serve("/");
    ASSERT_TRUE(index);
    EXPECT_NE(index->body.find("<form"), std::string::npos);
    EXPECT_FALSE(files.serve("/app.js"));
}

/// The service end to end without sockets: real engine, real index.
class ServiceTest : public ::testing::Test {
protected:
    ServiceTest() : config_(test::test_config(tmp_.path())) {}

    void SetUp() override {
        Analyzer analyzer(config_.analysis);
        test::build_generation(DataDir(tmp_.path()), analyzer, "g000001", test::sample_corpus());
        engine_ = std::make_unique<Engine>(config_);
        engine_->start();
        service_ = std::make_unique<Service>(config_, *engine_, StaticFiles(tmp_.path() / "web"));
    }
    void TearDown() override { engine_->stop(); }

    httpd::Response call(std::string method, std::string target, std::string body = {},
                         std::string content_type = "application/json") {
        httpd::Request r;
        r.method = std::move(method);
        r.target = target;
        const auto q = target.find('?');
        r.raw_path = target.substr(0, q);
        std::string decoded;
        text::percent_decode(r.raw_path, decoded);
        r.path = decoded;
        if (q != std::string::npos) {
            for (auto kv : text::split(std::string_view(target).substr(q + 1), '&')) {
                const auto eq = kv.find('=');
                std::string k;
                std::string v;
                text::percent_decode(kv.substr(0, eq), k, true);
                if (eq != std::string_view::npos) {
                    text::percent_decode(kv.substr(eq + 1), v, true);
                }
                r.query.emplace_back(k, v);
            }
        }
        r.body = std::move(body);
        r.headers.emplace_back("content-type", content_type);
        r.request_id = "test";
        std::promise<httpd::Response> p;
        auto f = p.get_future();
        service_->handle(std::move(r), [&p](httpd::Response resp) { p.set_value(std::move(resp)); });
        EXPECT_EQ(f.wait_for(10s), std::future_status::ready);
        return f.get();
    }

    test::TempDir tmp_;
    Config config_;
    std::unique_ptr<Engine> engine_;
    std::unique_ptr<Service> service_;
};

TEST_F(ServiceTest, SearchResponseShape) {
    auto r = call("GET", "/search?q=pipeline&facets=topic,year");
    ASSERT_EQ(r.status, 200U) << r.body;
    auto v = boost::json::parse(r.body).as_object();
    EXPECT_EQ(v.at("query").at("q").as_string(), "pipeline");
    EXPECT_FALSE(v.at("query").at("parsed").as_string().empty());
    EXPECT_EQ(v.at("generation").as_string(), "g000001");
    EXPECT_EQ(v.at("total").at("value").to_number<std::uint64_t>(), 2U);
    EXPECT_TRUE(v.at("total").at("exact").as_bool());
    const auto& hit = v.at("hits").as_array().at(0).as_object();
    for (const char* k : {"id", "title", "url", "source", "author", "date", "lang", "topics", "score", "snippet"}) {
        EXPECT_TRUE(hit.contains(k)) << k;
    }
    EXPECT_TRUE(v.at("facets").as_object().contains("topic"));
    EXPECT_TRUE(v.at("facets").as_object().contains("year"));
    EXPECT_TRUE(v.at("suggestion").is_null());
}

TEST_F(ServiceTest, PostSearch) {
    auto r = call("POST", "/search", R"({"q":"gas","topic":["trade"]})");
    ASSERT_EQ(r.status, 200U) << r.body;
    auto v = boost::json::parse(r.body);
    EXPECT_EQ(v.at("total").at("value").to_number<std::uint64_t>(), 2U);
    auto bad = call("POST", "/search", "q=gas", "text/plain");
    EXPECT_EQ(bad.status, 415U);
}

TEST_F(ServiceTest, Errors) {
    EXPECT_EQ(call("GET", "/search?q=gas%20)").status, 400U);
    EXPECT_EQ(call("GET", "/search?limit=500").status, 400U);
    EXPECT_EQ(call("GET", "/nope").status, 404U);
    auto m = call("DELETE", "/search");
    EXPECT_EQ(m.status, 405U);
    bool allow = false;
    for (const auto& [k, v] : m.headers) {
        allow = allow || (k == "Allow" && v.find("GET") != std::string::npos);
    }
    EXPECT_TRUE(allow);
}

TEST_F(ServiceTest, OtherEndpoints) {
    EXPECT_EQ(call("GET", "/healthz").body, R"({"status":"ok"})");
    // The watcher has seen g000001 at start().
    EXPECT_EQ(call("GET", "/readyz").status, 200U);
    auto a = call("GET", "/articles/a1");
    EXPECT_EQ(a.status, 200U);
    EXPECT_NE(a.body.find("Gas pipeline to China"), std::string::npos);
    EXPECT_EQ(call("GET", "/articles/missing").status, 404U);
    auto s = call("GET", "/stats");
    ASSERT_EQ(s.status, 200U);
    EXPECT_EQ(boost::json::parse(s.body).at("articles").to_number<std::uint64_t>(), 7U);
    auto t = call("GET", "/topics");
    ASSERT_EQ(t.status, 200U);
    EXPECT_NE(t.body.find("energy"), std::string::npos);
    auto m = call("GET", "/metrics");
    EXPECT_EQ(m.status, 200U);
    EXPECT_NE(m.body.find("gazette_searchd_queue_depth"), std::string::npos);
    auto page = call("GET", "/");
    EXPECT_EQ(page.status, 200U);
    EXPECT_NE(page.body.find("<form"), std::string::npos);
}

TEST_F(ServiceTest, SearchIsAnsweredOnTheCallingThread) {
    // Thread-per-core: /search runs on the thread that calls the handler (the connection's
    // I/O thread in searchd), so the responder has been called when handle() returns.
    httpd::Request r;
    r.method = "GET";
    r.path = r.raw_path = r.target = "/search";
    r.query = {{"q", "gas"}, {"facets", ""}, {"snippet", "0"}};
    r.request_id = "inline";
    std::optional<httpd::Response> got;
    std::thread::id answered_on;
    service_->handle(std::move(r), [&](httpd::Response resp) {
        answered_on = std::this_thread::get_id();
        got = std::move(resp);
    });
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(answered_on, std::this_thread::get_id());
    EXPECT_EQ(got->status, 200U) << got->body;
    EXPECT_NE(got->body.find("\"hits\""), std::string::npos);
    // Each thread has its own Searcher: another thread gets the same answer.
    std::string other_body;
    std::thread t([&] {
        SearchRequest req;
        req.q = "gas";
        req.facets.clear();
        req.snippet_chars = 0;
        auto res = engine_->search_here(req);
        ASSERT_TRUE(res.has_value());
        other_body = std::to_string(res->total.value);
    });
    t.join();
    SearchRequest req;
    req.q = "gas";
    req.facets.clear();
    req.snippet_chars = 0;
    auto here = engine_->search_here(req);
    ASSERT_TRUE(here.has_value());
    EXPECT_EQ(other_body, std::to_string(here->total.value));
    EXPECT_GT(here->total.value, 0U);
}

TEST(EngineWarmUp, SwapRebuildsTheSuggestIndexBeforeTheFirstKeystroke) {
    test::TempDir tmp;
    Config config = test::test_config(tmp.path());
    const DataDir data_dir(tmp.path());
    const Analyzer analyzer(config.analysis);
    test::build_generation(data_dir, analyzer, "g000001", test::sample_corpus());
    Engine engine(config);
    engine.start();
    auto suggest = [&](const std::string& q) {
        std::promise<Result<SuggestResult>> p;
        SuggestRequest r;
        r.q = q;
        EXPECT_TRUE(engine.submit_suggest(r, [&p](Result<SuggestResult> res) { p.set_value(std::move(res)); }));
        return p.get_future().get();
    };
    auto wait_for_builds = [&](std::uint64_t n) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (engine.suggest_index_builds() < n && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        return engine.suggest_index_builds();
    };
    // Nobody asked for suggestions yet: a swap builds nothing.
    auto corpus = test::sample_corpus();
    test::build_generation(data_dir, analyzer, "g000002", corpus);
    std::this_thread::sleep_for(std::chrono::milliseconds(300)); // several watcher polls
    EXPECT_EQ(engine.suggest_index_builds(), 0U);
    // Autocomplete in use: the first /suggest builds the index of the live generation.
    auto first = suggest("pipe");
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(engine.suggest_index_builds(), 1U);
    // A swap to a generation with a new word: rebuilt in the background, no request needed.
    corpus.push_back(test::make_article("n1", "Hydrogen", "Hydrogen hubs and hydrogen pipelines.", "2024-06-01"));
    corpus.push_back(test::make_article("n2", "More hydrogen", "Hydrogen trains.", "2024-06-02"));
    test::build_generation(data_dir, analyzer, "g000003", corpus);
    EXPECT_EQ(wait_for_builds(2), 2U);
    // And the next keystroke finds the new word without another build.
    auto after = suggest("hydro");
    ASSERT_TRUE(after.has_value());
    ASSERT_FALSE(after->completions.empty());
    EXPECT_EQ(after->completions[0].text, "hydrogen");
    EXPECT_EQ(engine.suggest_index_builds(), 2U);
    engine.stop();
}

TEST(ServiceNotReady, ReadyzAndSearch503) {
    test::TempDir tmp;
    Config config = test::test_config(tmp.path());
    Engine engine(config);
    engine.start();
    Service service(config, engine, StaticFiles(tmp.path()));
    httpd::Request r;
    r.method = "GET";
    r.path = r.raw_path = r.target = "/readyz";
    std::promise<httpd::Response> p;
    service.handle(std::move(r), [&p](httpd::Response resp) { p.set_value(std::move(resp)); });
    EXPECT_EQ(p.get_future().get().status, 503U);
    httpd::Request s;
    s.method = "GET";
    s.path = s.raw_path = s.target = "/search";
    s.query = {{"q", "gas"}};
    std::promise<httpd::Response> p2;
    service.handle(std::move(s), [&p2](httpd::Response resp) { p2.set_value(std::move(resp)); });
    auto resp = p2.get_future().get();
    EXPECT_EQ(resp.status, 503U);
    EXPECT_NE(resp.body.find("not_ready"), std::string::npos);
    engine.stop();
}

} // namespace
} // namespace gazette::searchd::api
