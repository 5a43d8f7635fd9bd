// Site-search pieces of searchd without sockets: rate limiter, keys, CORS, the completion
// index and /suggest on a real generation, and the result cache's bookkeeping.

#include "common/analyzer.hpp"
#include "searchd/api/access_control.hpp"
#include "searchd/api/cors.hpp"
#include "searchd/api/rate_limiter.hpp"
#include "searchd/search/result_cache.hpp"
#include "searchd/search/suggest.hpp"
#include "searchd/search/suggest_index.hpp"
#include "test_index.hpp"

#include <xapian.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdlib>
#include <iostream>

namespace gazette::searchd {
namespace {

using namespace std::chrono_literals;
using api::AccessControl;
using api::Cors;
using api::RateLimiter;
using api::Scope;

std::string header(const std::vector<std::pair<std::string, std::string>>& headers, std::string_view name) {
    for (const auto& [k, v] : headers) {
        if (k == name) {
            return v;
        }
    }
    return {};
}

// ---- rate limiter -----------------------------------------------------------------------

TEST(RateLimiter, BurstThenRefuseThenRefill) {
    RateLimitConfig c;
    c.requests_per_s = 2;
    c.burst = 5;
    RateLimiter rl(c);
    const auto t0 = RateLimiter::Clock::now();
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(rl.acquire("ip:1", t0), 0U) << i;
    }
    const auto wait = rl.acquire("ip:1", t0);
    EXPECT_GE(wait, 1U);
    EXPECT_EQ(rl.refused(), 1U);
    // Another client has its own bucket.
    EXPECT_EQ(rl.acquire("ip:2", t0), 0U);
    // Half a second refills one token at 2/s.
    EXPECT_EQ(rl.acquire("ip:1", t0 + 500ms), 0U);
    EXPECT_GE(rl.acquire("ip:1", t0 + 500ms), 1U);
}

TEST(RateLimiter, RetryAfterCoversTheWait) {
    RateLimitConfig c;
    c.requests_per_s = 0.25; // one token every 4 s
    c.burst = 1;
    RateLimiter rl(c);
    const auto t0 = RateLimiter::Clock::now();
    EXPECT_EQ(rl.acquire("k", t0), 0U);
    const auto wait = rl.acquire("k", t0);
    EXPECT_EQ(wait, 4U);
    EXPECT_GE(rl.acquire("k", t0 + std::chrono::seconds(wait) - 1ms), 1U);
    EXPECT_EQ(rl.acquire("k", t0 + std::chrono::seconds(wait) + 1ms), 0U);
}

TEST(RateLimiter, DisabledLetsEverythingThrough) {
    RateLimitConfig c;
    c.enabled = false;
    c.burst = 1;
    RateLimiter rl(c);
    for (int i = 0; i < 1000; ++i) {
        ASSERT_EQ(rl.acquire("x"), 0U);
    }
    EXPECT_EQ(rl.size(), 0U);
}

TEST(RateLimiter, MemoryIsBounded) {
    RateLimitConfig c;
    c.requests_per_s = 1;
    c.burst = 10;
    RateLimiter rl(c, 16 * 8); // 8 buckets per shard
    const auto t0 = RateLimiter::Clock::now();
    for (int i = 0; i < 10000; ++i) {
        (void)rl.acquire("ip:" + std::to_string(i), t0 + std::chrono::milliseconds(i));
    }
    EXPECT_LE(rl.size(), 16U * 8U);
    // A flood of new clients does not wipe an active client's debt.
    RateLimiter small(c, 16 * 64);
    for (int i = 0; i < 10; ++i) {
        (void)small.acquire("victim", t0);
    }
    EXPECT_GE(small.acquire("victim", t0), 1U);
}

// ---- keys -----------------------------------------------------------------------------

httpd::Request request_with(std::vector<std::pair<std::string, std::string>> headers, std::string ip = "10.0.0.1") {
    httpd::Request r;
    r.method = "GET";
    r.path = "/search";
    r.headers = std::move(headers);
    r.remote_ip = std::move(ip);
    return r;
}

Config keyed_config(bool open) {
    Config c;
    c.searchd.open_search = open;
    c.keys.push_back(ApiKey{"search-key-123", {"search"}, "site"});
    c.keys.push_back(ApiKey{"admin-key-456", {"admin"}, "ops"});
    return c;
}

TEST(AccessControl, PresentedKeyFromBearerOrXApiKey) {
    EXPECT_EQ(AccessControl::presented_key(request_with({{"authorization", "Bearer abc"}})), "abc");
    EXPECT_EQ(AccessControl::presented_key(request_with({{"authorization", "bearer  abc "}})), "abc");
    EXPECT_EQ(AccessControl::presented_key(request_with({{"x-api-key", "xyz"}})), "xyz");
    EXPECT_FALSE(AccessControl::presented_key(request_with({})));
}

TEST(AccessControl, OpenSearch) {
    const Config c = keyed_config(true);
    AccessControl ac(c);
    const auto anonymous = ac.identify(request_with({}));
    EXPECT_EQ(anonymous.client, "ip:10.0.0.1");
    EXPECT_TRUE(ac.authorize(anonymous, Scope::search));
    // A given but unknown key is refused even on open search.
    const auto unknown = ac.identify(request_with({{"authorization", "Bearer nope"}}));
    auto r = ac.authorize(unknown, Scope::search);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::unauthorized);
    EXPECT_EQ(unknown.client, "ip:10.0.0.1");
    // Admin always needs a key.
    EXPECT_EQ(ac.authorize(anonymous, Scope::admin).error().code, ErrorCode::unauthorized);
}

TEST(AccessControl, ClosedSearchAndScopes) {
    const Config c = keyed_config(false);
    AccessControl ac(c);
    EXPECT_EQ(ac.authorize(ac.identify(request_with({})), Scope::search).error().code,
              ErrorCode::unauthorized);
    const auto site = ac.identify(request_with({{"x-api-key", "search-key-123"}}));
    EXPECT_EQ(site.client, "key:site");
    EXPECT_TRUE(ac.authorize(site, Scope::search));
    EXPECT_EQ(ac.authorize(site, Scope::admin).error().code, ErrorCode::forbidden);
    const auto ops = ac.identify(request_with({{"authorization", "Bearer admin-key-456"}}));
    EXPECT_TRUE(ac.authorize(ops, Scope::search)) << "admin implies search";
    EXPECT_TRUE(ac.authorize(ops, Scope::admin));
    EXPECT_TRUE(ac.authorize(ac.identify(request_with({})), Scope::none));
}

TEST(AccessControl, RequiredScope) {
    EXPECT_EQ(AccessControl::required_scope("/healthz"), Scope::none);
    EXPECT_EQ(AccessControl::required_scope("/metrics"), Scope::none);
    EXPECT_EQ(AccessControl::required_scope("/"), Scope::none);
    EXPECT_EQ(AccessControl::required_scope("/app.js"), Scope::none);
    EXPECT_EQ(AccessControl::required_scope("/search"), Scope::search);
    EXPECT_EQ(AccessControl::required_scope("/suggest"), Scope::search);
    EXPECT_EQ(AccessControl::required_scope("/articles/a.b"), Scope::search);
    EXPECT_EQ(AccessControl::required_scope("/admin/cache/clear"), Scope::admin);
}

TEST(AccessControl, DeniedResponseIsJsonWithChallenge) {
    auto r = api::access_denied_response(Error(ErrorCode::unauthorized, "no"), "rid");
    EXPECT_EQ(r.status, 401U);
    EXPECT_NE(r.body.find("\"unauthorized\""), std::string::npos);
    EXPECT_EQ(header(r.headers, "WWW-Authenticate").rfind("Bearer", 0), 0U);
    auto f = api::access_denied_response(Error(ErrorCode::forbidden, "no"), "rid");
    EXPECT_EQ(f.status, 403U);
    EXPECT_TRUE(header(f.headers, "WWW-Authenticate").empty());
}

// ---- CORS -----------------------------------------------------------------------------

TEST(Cors, DefaultAddsNothing) {
    Cors cors(CorsConfig{});
    EXPECT_FALSE(cors.enabled());
    EXPECT_TRUE(cors.headers(std::string("https://a.example")).empty());
}

TEST(Cors, ExactOriginsEchoedOthersGetNone) {
    Cors cors(CorsConfig{{"https://news.example", "http://localhost:3000/"}});
    auto ok = cors.headers(std::string("https://news.example"));
    EXPECT_EQ(header(ok, "Access-Control-Allow-Origin"), "https://news.example");
    EXPECT_EQ(header(ok, "Vary"), "Origin");
    EXPECT_EQ(header(cors.headers(std::string("http://localhost:3000")), "Access-Control-Allow-Origin"),
              "http://localhost:3000");
    auto bad = cors.headers(std::string("https://evil.example"));
    EXPECT_TRUE(header(bad, "Access-Control-Allow-Origin").empty());
    EXPECT_TRUE(header(cors.headers(std::nullopt), "Access-Control-Allow-Origin").empty());
    auto pre = cors.preflight(std::string("https://news.example"));
    EXPECT_EQ(pre.status, 204U);
    EXPECT_NE(header(pre.headers, "Access-Control-Allow-Methods").find("POST"), std::string::npos);
    EXPECT_NE(header(pre.headers, "Access-Control-Allow-Headers").find("X-API-Key"), std::string::npos);
    EXPECT_FALSE(header(pre.headers, "Access-Control-Max-Age").empty());
    auto pre_bad = cors.preflight(std::string("https://evil.example"));
    EXPECT_TRUE(header(pre_bad.headers, "Access-Control-Allow-Methods").empty());
}

TEST(Cors, AnyOriginAndPaths) {
    Cors cors(CorsConfig{{"*"}});
    EXPECT_EQ(header(cors.headers(std::string("https://x.example")), "Access-Control-Allow-Origin"), "*");
    EXPECT_TRUE(Cors::applies_to("/search"));
    EXPECT_TRUE(Cors::applies_to("/suggest"));
    EXPECT_TRUE(Cors::applies_to("/articles/a1"));
    EXPECT_FALSE(Cors::applies_to("/metrics"));
    EXPECT_FALSE(Cors::applies_to("/admin/cache/clear"));
    EXPECT_FALSE(Cors::applies_to("/"));
}

// ---- completion index -------------------------------------------------------------------

SuggestIndex small_index() {
    return SuggestIndex::from_terms({{"pipeline", 40},
                                     {"pipelines", 12},
                                     {"pipe", 5},
                                     {"piper", 30},
                                     {"president", 90},
                                     {"press", 50},
                                     {"presidential", 20},
                                     {"prevent", 7},
                                     {"sanctions", 60},
                                     {"sanction", 10},
                                     {"international", 80},
                                     {"internet", 15}});
}

std::vector<std::string> terms(const std::vector<TermCount>& v) {
    std::vector<std::string> out;
    for (const auto& t : v) {
        out.push_back(t.term);
    }
    return out;
}

TEST(SuggestIndex, PrefixCompletionsByFrequency) {
    const SuggestIndex idx = small_index();
    EXPECT_EQ(terms(idx.complete("pre", 3)), (std::vector<std::string>{"president", "press", "presidential"}));
    // Longer prefixes go through the range scan; same ordering rules.
    EXPECT_EQ(terms(idx.complete("pipe", 10)),
              (std::vector<std::string>{"pipeline", "piper", "pipelines", "pipe"}));
    EXPECT_EQ(terms(idx.complete("p", 2)), (std::vector<std::string>{"president", "press"}));
    EXPECT_TRUE(idx.complete("zz", 5).empty());
    EXPECT_TRUE(idx.complete("", 5).empty());
    EXPECT_EQ(idx.count("press"), 50U);
    EXPECT_EQ(idx.count("pres"), 0U);
}

TEST(SuggestIndex, PrecomputedAndScannedAgree) {
    std::vector<TermCount> many;
    for (int i = 0; i < 2000; ++i) {
        many.push_back({"ab" + std::to_string(i * 7919 % 10007), static_cast<std::uint32_t>(i % 97)});
    }
    const auto idx = SuggestIndex::from_terms(many);
    const auto fast = idx.complete("ab", 10);
    const auto slow = idx.complete("ab", SuggestIndex::kTopPerPrefix + 1); // forces the scan
    ASSERT_EQ(fast.size(), 10U);
    for (std::size_t i = 0; i < fast.size(); ++i) {
        EXPECT_EQ(fast[i].term, slow[i].term);
    }
}

TEST(SuggestIndex, FuzzyPrefixes) {
    const SuggestIndex idx = small_index();
    // One transposition-like slip (two byte edits would be needed for a swap: use a substitution).
    EXPECT_EQ(terms(idx.fuzzy_complete("pipaline", 1, 5)), (std::vector<std::string>{"pipeline", "pipelines"}));
    // A missing letter.
    EXPECT_EQ(terms(idx.fuzzy_complete("sancions", 1, 5)), (std::vector<std::string>{"sanctions"}));
    // Two edits for long words: "internatinal" -> international.
    EXPECT_EQ(terms(idx.fuzzy_complete("internatinal", 2, 5)).front(), "international");
    // Exact-prefix terms are not repeated.
    EXPECT_TRUE(idx.fuzzy_complete("press", 1, 5).size() < 5);
    for (const auto& t : idx.fuzzy_complete("press", 1, 5)) {
        EXPECT_NE(t.term.rfind("press", 0), 0U) << t.term;
    }
    EXPECT_TRUE(idx.fuzzy_complete("qqqqqq", 1, 5).empty());
    EXPECT_EQ(suggest_max_distance(4), 0U);
    EXPECT_EQ(suggest_max_distance(5), 1U);
    EXPECT_EQ(suggest_max_distance(7), 1U);
    EXPECT_EQ(suggest_max_distance(8), 2U);
}

TEST(SuggestIndex, HighlightTitle) {
    EXPECT_EQ(highlight_title("Gas Pipeline <to> China", {"gas"}, {}, "pip"),
              "<mark>Gas</mark> <mark>Pip</mark>eline &lt;to&gt; China");
    EXPECT_EQ(highlight_title("Pipelines rise", {}, {"pipelines"}, "pipleines"), "<mark>Pipelines</mark> rise");
}

// ---- suggest on a real generation -----------------------------------------------------

class SuggestTest : public ::testing::Test {
protected:
    SuggestTest() : config_(test::test_config(tmp_.path())), analyzer_(config_.analysis) {
        auto corpus = test::sample_corpus();
        // termfreq >= 2 is required: add a second pipeline article and more gas.
        corpus.push_back(test::make_article("a8", "Pipeline politics in Europe",
                                            "Pipeline operators and gas pipelines: politics again.", "2024-02-02",
                                            "AP", {"energy"}));
        test::build_generation(DataDir(tmp_.path()), analyzer_, "g000001", corpus);
        db_ = Xapian::Database(DataDir(tmp_.path()).generation_path("g000001").string());
    }

    Result<SuggestResult> suggest(std::string q, std::size_t limit = 8) {
        SuggestRequest r;
        r.q = std::move(q);
        r.limit = limit;
        return run_suggest(db_, "g000001", r, &cache_, analyzer_.stemmer("en"));
    }

    test::TempDir tmp_;
    Config config_;
    Analyzer analyzer_;
    Xapian::Database db_;
    SuggestIndexCache cache_;
};

TEST_F(SuggestTest, CompletesLastWordKeepingEarlierWords) {
    auto r = suggest("gas pip");
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_FALSE(r->completions.empty());
    EXPECT_EQ(r->completions[0].text, "gas pipeline");
    EXPECT_GE(r->completions[0].count, 2U);
    for (const auto& c : r->completions) {
        EXPECT_EQ(c.text.rfind("gas pip", 0), 0U) << c.text;
    }
    // Titles need "gas" and a completion of "pip" in the title.
    ASSERT_FALSE(r->titles.empty());
    EXPECT_EQ(r->titles[0].id, "a1");
    EXPECT_NE(r->titles[0].title.find("<mark>Gas</mark>"), std::string::npos) << r->titles[0].title;
    EXPECT_NE(r->titles[0].title.find("<mark>pip</mark>eline"), std::string::npos) << r->titles[0].title;
    EXPECT_EQ(cache_.builds(), 1U);
    ASSERT_TRUE(suggest("pol"));
    EXPECT_EQ(cache_.builds(), 1U) << "one build per generation";
}

TEST_F(SuggestTest, TypoTolerantForLongWords) {
    auto r = suggest("pipleine");
    ASSERT_TRUE(r);
    ASSERT_FALSE(r->completions.empty());
    EXPECT_EQ(r->completions[0].text, "pipeline");
    EXPECT_TRUE(r->completions[0].fuzzy);
    ASSERT_FALSE(r->titles.empty());
    // Short words get no fuzzy matches.
    auto s = suggest("pipz");
    ASSERT_TRUE(s);
    EXPECT_TRUE(s->completions.empty());
}

TEST_F(SuggestTest, EmptyAndTrailingSpace) {
    auto e = suggest("");
    ASSERT_TRUE(e);
    EXPECT_TRUE(e->completions.empty());
    EXPECT_TRUE(e->titles.empty());
    auto t = suggest("pipeline ");
    ASSERT_TRUE(t);
    EXPECT_TRUE(t->completions.empty());
    EXPECT_FALSE(t->titles.empty()) << "a complete word still finds titles";
}

TEST_F(SuggestTest, CacheRebuildsForANewGeneration) {
    ASSERT_TRUE(suggest("gas"));
    test::build_generation(DataDir(tmp_.path()), analyzer_, "g000002",
                           {test::make_article("b1", "Zebra crossing", "zebras zebras"),
                            test::make_article("b2", "Zebra stripes", "zebras")});
    Xapian::Database db2(DataDir(tmp_.path()).generation_path("g000002").string());
    SuggestRequest r;
    r.q = "zeb";
    auto out = run_suggest(db2, "g000002", r, &cache_, analyzer_.stemmer("en"));
    ASSERT_TRUE(out);
    ASSERT_FALSE(out->completions.empty());
    EXPECT_EQ(out->completions[0].text, "zebra");
    EXPECT_EQ(cache_.builds(), 2U);
}


// ---- result cache -----------------------------------------------------------------------

TEST(ResultCacheSite, CountsMissesAndClearsOnSwap) {
    ResultCache cache(8);
    SearchResult r;
    r.q = "x";
    EXPECT_FALSE(cache.get("k"));
    cache.put("k", r);
    EXPECT_TRUE(cache.get("k"));
    EXPECT_EQ(cache.hits(), 1U);
    EXPECT_EQ(cache.misses(), 1U);
    cache.invalidate_on_swap(1);
    EXPECT_EQ(cache.size(), 0U);
    cache.put("k", r);
    cache.invalidate_on_swap(1); // same generation: kept
    EXPECT_EQ(cache.size(), 1U);
    cache.invalidate_on_swap(2);
    EXPECT_EQ(cache.size(), 0U);
}

} // namespace
} // namespace gazette::searchd
