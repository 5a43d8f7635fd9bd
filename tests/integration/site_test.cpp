// Issue 6 end to end (server side): API keys, CORS, rate limits, every transport and query
// limit, static-file path traversal, /suggest and the result cache, through real sockets
// against the real gazette-searchd serving an index built by the real gazette-indexer.

#include "tests/support/temp_dir.hpp"
#include "support/http_client.hpp"
#include "support/process.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace gazette::test;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kSearchKey = "site-search-key-0123456789";
constexpr const char* kAdminKey = "ops-admin-key-9876543210";
constexpr const char* kOrigin = "https://news.example";
constexpr const char* kSecret = "TOP-SECRET-OUTSIDE-WEB";
constexpr int kHeaderTimeoutS = 2;
constexpr int kMaxConnections = 8;

using TempDir = ::gazette::test::TempDir;

void write(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary);
    out << text;
}

/// A connected loopback socket (closed by the destructor).
class Socket {
public:
    explicit Socket(unsigned short port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    }
    ~Socket() { ::close(fd_); }
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;
    bool connected() const { return connected_; }
    void send(const std::string& s) { (void)::send(fd_, s.data(), s.size(), MSG_NOSIGNAL); }
    /// Reads until the peer closes or `timeout` passes; returns what arrived and whether it closed.
    std::pair<std::string, bool> read_until_close(std::chrono::milliseconds timeout) {
        std::string out;
        const auto deadline = Clock::now() + timeout;
        char buf[4096];
        while (Clock::now() < deadline) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
                break;
            }
            const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
            if (n <= 0) {
                return {out, true};
            }
            out.append(buf, static_cast<std::size_t>(n));
        }
        return {out, false};
    }

private:
    int fd_;
    bool connected_ = false;
};

/// Two daemons on one index: `strict` (keys required, CORS for one origin, small limits) and
/// `open` (open search, CORS for any origin, a tiny rate limit).
class SiteSuite : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir();
        const fs::path data = dir_->path() / "data";
        const std::string index_config = (fs::path(GAZETTE_SOURCE_DIR) / "config" / "gazette.toml").string();
        const fs::path inputs = dir_->path() / "inputs";
        fs::create_directories(inputs);
        fs::copy_file(fs::path(GAZETTE_SOURCE_DIR) / "tests/data/integration/articles.jsonl", inputs / "articles.jsonl");
        std::string out;
        const int rc = run_command({GAZETTE_INDEXER_BIN, "index", "--data-dir", data.string(), "--config",
                                    index_config, inputs.string()},
                                   &out);
        ASSERT_EQ(rc, 0) << out;

        // A web folder, with a secret file beside it that must never be served.
        const fs::path web = dir_->path() / "site" / "web";
        fs::create_directories(web / "sub");
        write(web / "index.html", "<!doctype html><title>page</title><form></form>");
        write(web / "sub" / "app.js", "console.log('ok');");
        write(dir_->path() / "site" / "secret.txt", kSecret);
        write(dir_->path() / "secret.txt", kSecret);

        const std::string keys = std::string("[[keys]]\nkey = \"") + kSearchKey +
                                 "\"\nscopes = [\"search\"]\nname = \"site\"\n\n[[keys]]\nkey = \"" + kAdminKey +
                                 "\"\nscopes = [\"admin\"]\nname = \"ops\"\n";
        const fs::path strict_cfg = dir_->path() / "strict.toml";
        write(strict_cfg, "[searchd]\nopen_search = false\nstatic_dir = \"" + web.string() +
                              "\"\n\n[limits]\nmax_body_bytes_search = 1024\nmax_uri_bytes = 600\n"
                              "max_header_bytes = 1500\nmax_headers = 20\nmax_query_chars = 100\nmax_limit = 50\n"
                              "max_result_window = 200\nmax_wildcard_expansion = 3\nmax_connections = " +
                              std::to_string(kMaxConnections) + "\nheader_read_timeout_s = " +
                              std::to_string(kHeaderTimeoutS) +
                              "\nbody_read_timeout_s = 2\n\n[rate_limit]\nrequests_per_s = 1000.0\nburst = 5000.0\n\n"
                              "[cors]\norigins = [\"" + kOrigin + "\"]\n\n" + keys);
        const fs::path open_cfg = dir_->path() / "open.toml";
        write(open_cfg, "[searchd]\nopen_search = true\nstatic_dir = \"" + web.string() +
                            "\"\n\n[rate_limit]\nrequests_per_s = 0.5\nburst = 5.0\n\n[cors]\norigins = [\"*\"]\n\n" +
                            keys);
        strict_ = start("strict", strict_cfg, data);
        open_ = start("open", open_cfg, data);
    }
    static void TearDownTestSuite() {
        for (Daemon* d : {strict_, open_}) {
            if (d != nullptr) {
                EXPECT_EQ(d->stop(), 0) << d->log();
                delete d;
            }
        }
        delete dir_;
    }

    static Daemon* start(const std::string& name, const fs::path& config, const fs::path& data) {
        const fs::path ready = dir_->path() / (name + ".port");
        return new Daemon({GAZETTE_SEARCHD_BIN, "--data-dir", data.string(), "--config", config.string(), "--listen",
                           "127.0.0.1:0", "--threads", "2", "--ready-file", ready.string()},
                          ready, dir_->path() / (name + ".log"));
    }

    static unsigned short strict() { return strict_->port(); }
    static unsigned short open() { return open_->port(); }

    using Headers = std::vector<std::pair<std::string, std::string>>;
    static HttpResponse get(unsigned short port, const std::string& target, Headers headers = {}) {
        return http_request(port, "GET", target, {}, headers);
    }
    static Headers bearer(const std::string& key) { return {{"Authorization", "Bearer " + key}}; }

    static std::string error_code(const HttpResponse& r) {
        boost::system::error_code ec;
        auto v = json::parse(r.body, ec);
        if (ec || !v.is_object() || !v.as_object().contains("error")) {
            return "<not a JSON error: " + r.body + ">";
        }
        return std::string(v.at("error").at("code").as_string());
    }

    static inline TempDir* dir_ = nullptr;
    static inline Daemon* strict_ = nullptr;
    static inline Daemon* open_ = nullptr;
};

// ---- keys -------------------------------------------------------------------------------

TEST_F(SiteSuite, ClosedSearchNeedsAKey) {
    auto none = get(strict(), "/search?q=pipeline");
    EXPECT_EQ(none.status, 401);
    EXPECT_EQ(error_code(none), "unauthorized");
    EXPECT_NE(none.header("www-authenticate").find("Bearer"), std::string::npos);
    EXPECT_NE(none.header("content-type").find("application/json"), std::string::npos);

    auto unknown = get(strict(), "/search?q=pipeline", bearer("not-a-key"));
    EXPECT_EQ(unknown.status, 401);
    EXPECT_EQ(error_code(unknown), "unauthorized");

    EXPECT_EQ(get(strict(), "/search?q=pipeline", bearer(kSearchKey)).status, 200);
    EXPECT_EQ(get(strict(), "/search?q=pipeline", {{"X-API-Key", kSearchKey}}).status, 200);
    EXPECT_EQ(get(strict(), "/search?q=pipeline", bearer(kAdminKey)).status, 200) << "admin implies search";
    EXPECT_EQ(get(strict(), "/suggest?q=pip").status, 401);
    EXPECT_EQ(get(strict(), "/articles/energy-001").status, 401);
    EXPECT_EQ(get(strict(), "/stats", bearer(kSearchKey)).status, 200);
    // Health, readiness, metrics and the page itself need no key.
    EXPECT_EQ(get(strict(), "/healthz").status, 200);
    EXPECT_EQ(get(strict(), "/readyz").status, 200);
    EXPECT_EQ(get(strict(), "/metrics").status, 200);
    EXPECT_EQ(get(strict(), "/").status, 200);
}

TEST_F(SiteSuite, WrongScopeIs403) {
    auto r = http_request(strict(), "POST", "/admin/cache/clear", {}, bearer(kSearchKey));
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(error_code(r), "forbidden");
    EXPECT_EQ(http_request(strict(), "POST", "/admin/cache/clear").status, 401);
    EXPECT_EQ(http_request(strict(), "POST", "/admin/cache/clear", {}, bearer(kAdminKey)).status, 200);
}

TEST_F(SiteSuite, OpenSearchWorksWithoutKeyButRejectsUnknownKeys) {
    EXPECT_EQ(get(open(), "/healthz").status, 200); // exempt: does not use the tiny budget
    // Distinct clients by key so this test does not drain the per-IP bucket others use.
    EXPECT_EQ(get(open(), "/search?q=pipeline", bearer(kSearchKey)).status, 200);
    auto unknown = get(open(), "/search?q=pipeline", {{"X-API-Key", "wrong"}});
    EXPECT_EQ(unknown.status, 401);
    EXPECT_EQ(error_code(unknown), "unauthorized");
}

// ---- CORS -------------------------------------------------------------------------------

TEST_F(SiteSuite, CorsEchoesOnlyAllowedOrigins) {
    auto ok = get(strict(), "/search?q=pipeline", {{"Origin", kOrigin}, {"X-API-Key", kSearchKey}});
    EXPECT_EQ(ok.status, 200);
    EXPECT_EQ(ok.header("access-control-allow-origin"), kOrigin);
    EXPECT_NE(ok.header("vary").find("Origin"), std::string::npos);

    auto bad = get(strict(), "/search?q=pipeline", {{"Origin", "https://evil.example"}, {"X-API-Key", kSearchKey}});
    EXPECT_EQ(bad.status, 200);
    EXPECT_EQ(bad.header("access-control-allow-origin"), "");

    // Errors of CORS endpoints carry the headers too, so a page can read them.
    auto denied = get(strict(), "/search?q=pipeline", {{"Origin", kOrigin}});
    EXPECT_EQ(denied.status, 401);
    EXPECT_EQ(denied.header("access-control-allow-origin"), kOrigin);

    // Never on health/metrics or the admin path.
    EXPECT_EQ(get(strict(), "/metrics", {{"Origin", kOrigin}}).header("access-control-allow-origin"), "");
    auto admin = http_request(strict(), "POST", "/admin/cache/clear", {}, {{"Origin", kOrigin}, {"X-API-Key", kAdminKey}});
    EXPECT_EQ(admin.header("access-control-allow-origin"), "");
}

TEST_F(SiteSuite, CorsPreflight) {
    auto pre = http_request(strict(), "OPTIONS", "/suggest?q=pi",
                            {},
                            {{"Origin", kOrigin},
                             {"Access-Control-Request-Method", "GET"},
                             {"Access-Control-Request-Headers", "authorization"}});
    EXPECT_EQ(pre.status, 204);
    EXPECT_EQ(pre.header("access-control-allow-origin"), kOrigin);
    EXPECT_NE(pre.header("access-control-allow-methods").find("GET"), std::string::npos);
    EXPECT_NE(pre.header("access-control-allow-methods").find("POST"), std::string::npos);
    const std::string allow_headers = pre.header("access-control-allow-headers");
    for (const char* h : {"Authorization", "Content-Type", "X-API-Key"}) {
        EXPECT_NE(allow_headers.find(h), std::string::npos) << h;
    }
    EXPECT_FALSE(pre.header("access-control-max-age").empty());

    auto pre_bad = http_request(strict(), "OPTIONS", "/search", {},
                                {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}});
    EXPECT_EQ(pre_bad.header("access-control-allow-origin"), "");
    EXPECT_EQ(pre_bad.header("access-control-allow-methods"), "");
}

TEST_F(SiteSuite, CorsAnyOrigin) {
    auto r = get(open(), "/healthz", {{"Origin", "https://a.example"}});
    EXPECT_EQ(r.header("access-control-allow-origin"), "") << "not a search endpoint";
    auto pre = http_request(open(), "OPTIONS", "/search", {}, {{"Origin", "https://a.example"}});
    EXPECT_EQ(pre.status, 204);
    EXPECT_EQ(pre.header("access-control-allow-origin"), "*");
}

// ---- rate limit ---------------------------------------------------------------------------

TEST_F(SiteSuite, BurstThenTooManyRequestsWithRetryAfter) {
    // The open daemon allows a burst of 5 at 0.5/s per client; use a key as the client so
    // the per-IP bucket of the other tests is untouched.
    int ok = 0;
    HttpResponse limited;
    for (int i = 0; i < 12; ++i) {
        auto r = get(open(), "/search?q=gas&snippet=0", bearer(kAdminKey));
        if (r.status == 200) {
            ++ok;
        } else {
            limited = r;
            break;
        }
    }
    EXPECT_GE(ok, 4);
    EXPECT_LE(ok, 6);
    ASSERT_EQ(limited.status, 429);
    EXPECT_EQ(error_code(limited), "rate_limited");
    const int retry_after = std::atoi(limited.header("retry-after").c_str());
    EXPECT_GE(retry_after, 1);
    EXPECT_LE(retry_after, 3);
    // Health and metrics stay available while the client is limited.
    EXPECT_EQ(get(open(), "/healthz", bearer(kAdminKey)).status, 200);
    auto metrics = get(open(), "/metrics", bearer(kAdminKey));
    EXPECT_EQ(metrics.status, 200);
    EXPECT_NE(metrics.body.find("gazette_searchd_rate_limited_total"), std::string::npos);
    // After Retry-After seconds the client is served again.
    std::this_thread::sleep_for(std::chrono::seconds(retry_after));
    EXPECT_EQ(get(open(), "/search?q=gas&snippet=0", bearer(kAdminKey)).status, 200);
}

// ---- transport limits ---------------------------------------------------------------------

TEST_F(SiteSuite, BodyTooLargeIs413) {
    const std::string body = R"({"q":")" + std::string(2000, 'a') + R"("})";
    auto r = http_request(strict(), "POST", "/search", body,
                          {{"Content-Type", "application/json"}, {"X-API-Key", kSearchKey}});
    EXPECT_EQ(r.status, 413);
    EXPECT_EQ(error_code(r), "too_large");
}

TEST_F(SiteSuite, UriTooLongIs414) {
    auto r = get(strict(), "/search?q=" + std::string(700, 'a'), {{"X-API-Key", kSearchKey}});
    EXPECT_EQ(r.status, 414);
}

TEST_F(SiteSuite, HeadersTooLargeIs431) {
    auto r = get(strict(), "/search?q=a", {{"X-API-Key", kSearchKey}, {"X-Padding", std::string(3000, 'x')}});
    EXPECT_EQ(r.status, 431);
}

TEST_F(SiteSuite, TooManyHeadersIs431) {
    Headers h{{"X-API-Key", kSearchKey}};
    for (int i = 0; i < 30; ++i) {
        h.emplace_back("X-H" + std::to_string(i), "v");
    }
    EXPECT_EQ(get(strict(), "/search?q=a", h).status, 431);
}

TEST_F(SiteSuite, BadHttpVersionMissingHostAndSmuggling) {
    auto v = parse_response(http_raw(strict(), "GET /healthz HTTP/2.0\r\nHost: x\r\n\r\n"));
    EXPECT_EQ(v.status, 505);
    auto host = parse_response(http_raw(strict(), "GET /healthz HTTP/1.1\r\n\r\n"));
    EXPECT_EQ(host.status, 400);
    auto te_cl = parse_response(http_raw(strict(),
                                         "POST /search HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                         "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
    EXPECT_EQ(te_cl.status, 400);
}

TEST_F(SiteSuite, SlowClientIsDisconnected) {
    Socket s(strict());
    ASSERT_TRUE(s.connected());
    s.send("GET /search?q=gas HTTP/1.1\r\nHost: x\r\n"); // never finishes the headers
    const auto t0 = Clock::now();
    const auto [data, closed] = s.read_until_close(std::chrono::seconds(kHeaderTimeoutS + 3));
    const double took = std::chrono::duration<double>(Clock::now() - t0).count();
    EXPECT_TRUE(closed) << "the server must close a connection stuck in its headers";
    EXPECT_LE(took, kHeaderTimeoutS + 1.0);
    EXPECT_GE(took, kHeaderTimeoutS - 0.5);
    if (!data.empty()) {
        EXPECT_EQ(parse_response(data).status, 408) << data;
    }
}

TEST_F(SiteSuite, ConnectionLimit) {
    std::vector<std::unique_ptr<Socket>> held;
    for (int i = 0; i < kMaxConnections; ++i) {
        held.push_back(std::make_unique<Socket>(strict()));
        ASSERT_TRUE(held.back()->connected());
    }
    // Let the server accept them all.
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    auto extra = http_raw(strict(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 2000);
    const auto r = parse_response(extra);
    EXPECT_NE(r.status, 200) << "connection " << kMaxConnections + 1 << " must not be served";
    if (r.status != 0) {
        EXPECT_EQ(r.status, 503);
    }
    held.clear();
    // Served again once connections are released.
    bool served = false;
    for (int i = 0; i < 20 && !served; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        served = get(strict(), "/healthz").status == 200;
    }
    EXPECT_TRUE(served);
}

// ---- query limits ---------------------------------------------------------------------------

TEST_F(SiteSuite, QueryLimitsAre400) {
    const Headers key{{"X-API-Key", kSearchKey}};
    auto too_long = get(strict(), "/search?q=" + std::string(150, 'a'), key);
    EXPECT_EQ(too_long.status, 400);
    EXPECT_NE(too_long.body.find("\"q\""), std::string::npos) << too_long.body;

    auto limit = get(strict(), "/search?q=gas&limit=51", key);
    EXPECT_EQ(limit.status, 400);
    EXPECT_NE(limit.body.find("limit"), std::string::npos);

    auto window = get(strict(), "/search?q=gas&offset=190&limit=20", key);
    EXPECT_EQ(window.status, 400);
    EXPECT_NE(window.body.find("cursor"), std::string::npos) << window.body;

    auto wildcard = get(strict(), "/search?q=p*", key);
    EXPECT_EQ(wildcard.status, 400) << wildcard.body;
    EXPECT_EQ(error_code(wildcard), "too_complex");

    auto suggest_long = get(strict(), "/suggest?q=" + std::string(150, 'a'), key);
    EXPECT_EQ(suggest_long.status, 400);
    EXPECT_EQ(get(strict(), "/suggest?q=a&limit=500", key).status, 400);
}

// ---- static files -----------------------------------------------------------------------

TEST_F(SiteSuite, StaticFilesNeverEscapeTheirFolder) {
    EXPECT_EQ(get(strict(), "/sub/app.js").status, 200);
    for (const std::string target :
         {"/../secret.txt", "/../../secret.txt", "/sub/../../secret.txt", "/%2e%2e/secret.txt",
          "/%2e%2e%2fsecret.txt", "/%2E%2E%2F%2E%2E%2Fsecret.txt", "/%252e%252e%252fsecret.txt",
          "/..%5csecret.txt", "/..%5c..%5csecret.txt", "/sub%2f..%2f..%2fsecret.txt", "//etc/passwd",
          "/etc/passwd", "/%2fetc%2fpasswd", "/..%00/secret.txt", "/.%2e/secret.txt", "/....//secret.txt"}) {
        auto r = get(strict(), target);
        // Paths without a file extension are API paths: on this keyed daemon they are 401.
        EXPECT_TRUE(r.status == 404 || r.status == 400 || r.status == 401) << target << " -> " << r.status;
        EXPECT_EQ(r.body.find(kSecret), std::string::npos) << target;
        EXPECT_EQ(r.body.find("root:"), std::string::npos) << target;
    }
    // Raw (unencoded) dot segments and backslashes on the wire.
    for (const std::string target : {"/../secret.txt", "/..\\secret.txt", "/sub/..\\..\\secret.txt"}) {
        const auto raw = http_raw(strict(), "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        const auto r = parse_response(raw);
        EXPECT_TRUE(r.status == 404 || r.status == 400) << target << " -> " << r.status;
        EXPECT_EQ(raw.find(kSecret), std::string::npos) << target;
    }
}

// ---- /suggest and the result cache ----------------------------------------------------------

json::object suggest(unsigned short port, const std::string& q) {
    auto r = http_request(port, "GET", "/suggest?q=" + url_encode(q), {}, {{"X-API-Key", kSearchKey}});
    EXPECT_EQ(r.status, 200) << r.body;
    boost::system::error_code ec;
    auto v = json::parse(r.body, ec);
    EXPECT_FALSE(ec) << r.body;
    return ec ? json::object{} : v.as_object();
}

std::vector<std::string> completion_texts(const json::object& o) {
    std::vector<std::string> out;
    for (const auto& c : o.at("completions").as_array()) {
        out.emplace_back(c.at("text").as_string());
    }
    return out;
}

TEST_F(SiteSuite, SuggestCompletesPrefixes) {
    auto r = suggest(strict(), "gas pip");
    const auto texts = completion_texts(r);
    ASSERT_FALSE(texts.empty()) << json::serialize(r);
    EXPECT_EQ(texts[0], "gas pipeline");
    EXPECT_TRUE(r.at("took_ms").is_number());
    EXPECT_EQ(r.at("q").as_string(), "gas pip");
    ASSERT_FALSE(r.at("titles").as_array().empty()) << json::serialize(r);
    const auto& t = r.at("titles").as_array()[0].as_object();
    EXPECT_EQ(t.at("id").as_string(), "energy-001");
    EXPECT_NE(std::string(t.at("title").as_string()).find("<mark>"), std::string::npos);
    // Counts are article counts, most frequent first.
    auto s = suggest(strict(), "sa");
    std::uint64_t previous = UINT64_MAX;
    for (const auto& c : s.at("completions").as_array()) {
        const auto n = c.at("count").to_number<std::uint64_t>();
        EXPECT_LE(n, previous);
        previous = n;
    }
}

TEST_F(SiteSuite, SuggestToleratesTypos) {
    auto r = suggest(strict(), "sanctoins");
    const auto texts = completion_texts(r);
    ASSERT_FALSE(texts.empty()) << json::serialize(r);
    EXPECT_EQ(texts[0], "sanctions");
    EXPECT_FALSE(r.at("titles").as_array().empty());
}

TEST_F(SiteSuite, CachedRepeatIsFasterAndCounted) {
    const Headers key{{"X-API-Key", kAdminKey}};
    ASSERT_EQ(http_request(strict(), "POST", "/admin/cache/clear", {}, key).status, 200);
    const std::string target = "/search?q=" + url_encode("pipeline OR sanctions OR gas") + "&limit=20";
    auto first = get(strict(), target, key);
    ASSERT_EQ(first.status, 200);
    const double cold = json::parse(first.body).at("took_ms").to_number<double>();
    double warm = 1e9;
    for (int i = 0; i < 5; ++i) {
        auto again = get(strict(), target, key);
        ASSERT_EQ(again.status, 200);
        warm = std::min(warm, json::parse(again.body).at("took_ms").to_number<double>());
    }
    EXPECT_LT(warm, cold) << "cold " << cold << " ms, cached " << warm << " ms";
    std::cout << "[ measure  ] /search cold " << cold << " ms, cached repeat " << warm << " ms\n";
    const auto metrics = get(strict(), "/metrics").body;
    EXPECT_NE(metrics.find("gazette_searchd_cache_hits_total"), std::string::npos);
    EXPECT_NE(metrics.find("gazette_searchd_cache_misses_total"), std::string::npos);
    EXPECT_NE(metrics.find("gazette_searchd_cache_hit_ratio"), std::string::npos);
}

} // namespace
