// The admin API of the real `gazette-indexer serve`: ingest with per-line errors, auth,
// content types, deletes, the inbox, freshness, jobs, generations, metrics, clean SIGTERM.

#include "serve_daemon.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <thread>

namespace fs = std::filesystem;
using namespace gazette::test;
using Clock = std::chrono::steady_clock;

namespace {

class ServeApiTest : public ::testing::Test {
protected:
    void SetUp() override {
        daemon_.start();
        ASSERT_TRUE(daemon_.wait_ready()) << daemon_.log();
    }
    void TearDown() override {
        if (daemon_.running()) {
            EXPECT_EQ(daemon_.terminate(), 0) << "SIGTERM must end the daemon cleanly\n" << daemon_.log();
        }
    }

    /// Waits until `pred` holds, up to `timeout`.
    template <class Pred>
    static bool eventually(Pred pred, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
        const auto deadline = Clock::now() + timeout;
        while (Clock::now() < deadline) {
            if (pred()) {
                return true;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return pred();
    }

    TempDir tmp_;
    ServeDaemon daemon_{tmp_.path()};
};

boost::json::object parse(const std::string& body) { return boost::json::parse(body).as_object(); }

TEST_F(ServeApiTest, NdjsonWithBadLinesIsAcceptedWithPerLineErrors) {
    const std::string body = article_line("ok-1") + "{\"id\":\"no-body\"}\n" + "this is not json\n" +
                             article_line("ok-2");
    const auto r = daemon_.admin("POST", "/articles", body);
    ASSERT_EQ(r.status, 202) << r.body;
    const auto o = parse(r.body);
    EXPECT_EQ(o.at("accepted").as_int64(), 2);
    const auto& rejected = o.at("rejected").as_array();
    ASSERT_EQ(rejected.size(), 2u);
    EXPECT_EQ(rejected[0].at("line").as_int64(), 2);
    EXPECT_EQ(rejected[0].at("id").as_string(), "no-body");
    EXPECT_EQ(rejected[0].at("error").at("code").as_string(), "bad_article");
    EXPECT_EQ(rejected[1].at("line").as_int64(), 3);
    EXPECT_FALSE(rejected[1].at("error").at("message").as_string().empty());
    EXPECT_TRUE(eventually([&] { return id_count(daemon_.data_dir(), "ok-2") == 1; }));
    EXPECT_EQ(id_count(daemon_.data_dir(), "no-body"), 0u);
}

TEST_F(ServeApiTest, JsonArrayAndSingleObjectAreAccepted) {
    const auto arr = daemon_.admin("POST", "/articles",
                                   R"([{"id":"arr-1","body":"one"},{"id":"arr-2"},{"id":"arr-3","body":"three"}])",
                                   "application/json; charset=utf-8");
    ASSERT_EQ(arr.status, 202) << arr.body;
    const auto o = parse(arr.body);
    EXPECT_EQ(o.at("accepted").as_int64(), 2);
    ASSERT_EQ(o.at("rejected").as_array().size(), 1u);
    EXPECT_EQ(o.at("rejected").as_array()[0].at("line").as_int64(), 2); // array elements count from 1
    const auto one = daemon_.admin("POST", "/articles", R"({"id":"single","body":"alone"})", "application/json");
    EXPECT_EQ(one.status, 202) << one.body;
}

TEST_F(ServeApiTest, NothingValidIs400WithTheSameShape) {
    const auto r = daemon_.admin("POST", "/articles", "{\"id\":\"x\"}\nnope\n");
    ASSERT_EQ(r.status, 400) << r.body;
    const auto o = parse(r.body);
    EXPECT_EQ(o.at("accepted").as_int64(), 0);
    EXPECT_EQ(o.at("rejected").as_array().size(), 2u);
}

TEST_F(ServeApiTest, UnknownContentTypeIs415) {
    const auto r = daemon_.admin("POST", "/articles", article_line("ct"), "text/csv");
    EXPECT_EQ(r.status, 415) << r.body;
    EXPECT_EQ(parse(r.body).at("error").at("code").as_string(), "unsupported");
}

TEST_F(ServeApiTest, KeysAreRequiredAndScoped) {
    const auto body = article_line("auth-1");
    const auto missing = http_request(daemon_.port(), "POST", "/articles", {{"Content-Type", "application/x-ndjson"}}, body);
    EXPECT_EQ(missing.status, 401) << missing.body;
    EXPECT_EQ(parse(missing.body).at("error").at("code").as_string(), "unauthorized");
    const auto unknown = http_request(daemon_.port(), "POST", "/articles",
                                      {{"Content-Type", "application/x-ndjson"}, {"X-API-Key", "wrong"}}, body);
    EXPECT_EQ(unknown.status, 401);
    const auto search_only = http_request(daemon_.port(), "GET", "/jobs", {{"X-API-Key", "search-only-key"}});
    EXPECT_EQ(search_only.status, 403) << search_only.body;
    const auto via_header = http_request(daemon_.port(), "GET", "/jobs", {{"X-API-Key", kAdminKey}});
    EXPECT_EQ(via_header.status, 200) << via_header.body;
    // Health and metrics need no key.
    EXPECT_EQ(http_request(daemon_.port(), "GET", "/healthz").status, 200);
    EXPECT_EQ(http_request(daemon_.port(), "GET", "/metrics").status, 200);
}

TEST_F(ServeApiTest, DeleteIs202WhetherOrNotTheIdExisted) {
    ASSERT_EQ(daemon_.admin("POST", "/articles", article_line("del-1")).status, 202);
    ASSERT_TRUE(eventually([&] { return id_count(daemon_.data_dir(), "del-1") == 1; }));
    const auto r = daemon_.admin("DELETE", "/articles/del-1");
    EXPECT_EQ(r.status, 202) << r.body;
    EXPECT_TRUE(eventually([&] { return id_count(daemon_.data_dir(), "del-1") == 0; }));
    EXPECT_EQ(daemon_.admin("DELETE", "/articles/never%2Fexisted").status, 202);
}

TEST_F(ServeApiTest, ArticleIsSearchableWithinOneSecondOfItsAck) {
    for (int i = 0; i < 3; ++i) {
        const std::string id = "fresh-" + std::to_string(i);
        const auto r = daemon_.admin("POST", "/articles", article_line(id));
        ASSERT_EQ(r.status, 202) << r.body;
        const auto acked = Clock::now();
        bool visible = false;
        while (Clock::now() - acked < std::chrono::seconds(1)) {
            if (id_count(daemon_.data_dir(), id) == 1) {
                visible = true;
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        EXPECT_TRUE(visible) << id << " not in the live database 1 s after its 202";
    }
}

TEST_F(ServeApiTest, InboxFileIsIngestedMovedToDoneAndBadArticlesDeadLettered) {
    const fs::path inbox = daemon_.data_dir() / "inbox";
    {
        std::ofstream out(inbox / "batch.jsonl.tmp"); // written under a skipped name, then renamed
        out << article_line("inbox-1") << "{\"id\":\"inbox-bad\"}\n" << article_line("inbox-2");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    EXPECT_TRUE(fs::exists(inbox / "batch.jsonl.tmp")) << ".tmp files must be left alone";
    fs::rename(inbox / "batch.jsonl.tmp", inbox / "batch.jsonl");
    ASSERT_TRUE(eventually([&] { return fs::exists(inbox / "done" / "batch.jsonl"); })) << daemon_.log();
    EXPECT_FALSE(fs::exists(inbox / "batch.jsonl"));
    EXPECT_TRUE(eventually([&] { return id_count(daemon_.data_dir(), "inbox-1") == 1; }));
    EXPECT_TRUE(eventually([&] { return id_count(daemon_.data_dir(), "inbox-2") == 1; }));
    EXPECT_EQ(id_count(daemon_.data_dir(), "inbox-bad"), 0u);
    std::size_t dead = 0;
    std::string dead_text;
    for (const auto& e : fs::directory_iterator(daemon_.data_dir() / "deadletter")) {
        ++dead;
        std::ifstream in(e.path());
        dead_text.assign(std::istreambuf_iterator<char>(in), {});
    }
    EXPECT_EQ(dead, 1u);
    EXPECT_NE(dead_text.find("inbox-bad"), std::string::npos) << dead_text;
}

TEST_F(ServeApiTest, ReindexJobRunsAndGenerationsCanBeActivated) {
    ASSERT_EQ(daemon_.admin("POST", "/articles", article_line("g-1") + article_line("g-2")).status, 202);
    const auto started = daemon_.admin("POST", "/jobs/reindex");
    ASSERT_EQ(started.status, 202) << started.body;
    const std::string id(parse(started.body).at("id").as_string());
    std::string state;
    ASSERT_TRUE(eventually(
        [&] {
            const auto r = daemon_.admin("GET", "/jobs/" + id);
            state = r.status == 200 ? std::string(parse(r.body).at("state").as_string()) : "";
            return state == "succeeded" || state == "failed";
        },
        std::chrono::seconds(20)));
    ASSERT_EQ(state, "succeeded") << daemon_.admin("GET", "/jobs/" + id).body;
    EXPECT_EQ(daemon_.admin("GET", "/jobs/" + id + "x").status, 404);

    const auto gens = parse(daemon_.admin("GET", "/generations").body);
    const auto& list = gens.at("generations").as_array();
    ASSERT_GE(list.size(), 2u);
    const std::string old(list[0].at("name").as_string());
    EXPECT_NE(std::string(gens.at("live").as_string()), old);

    // Ingest after the swap, then roll back: the old generation must get it too (replay).
    ASSERT_EQ(daemon_.admin("POST", "/articles", article_line("after-swap")).status, 202);
    const auto act = daemon_.admin("POST", "/generations/" + old + "/activate");
    ASSERT_EQ(act.status, 200) << act.body;
    EXPECT_EQ(std::string(parse(daemon_.admin("GET", "/generations").body).at("live").as_string()), old);
    EXPECT_TRUE(eventually([&] { return id_count(daemon_.data_dir(), "after-swap") == 1; }));
    EXPECT_EQ(id_count(daemon_.data_dir(), "g-1"), 1u);
    EXPECT_EQ(daemon_.admin("POST", "/generations/g999999/activate").status, 404);
}

TEST_F(ServeApiTest, RetagThenVerifyJobsSucceedWhileIngestContinues) {
    ASSERT_EQ(daemon_.admin("POST", "/articles", article_line("t-1", "nuclear reactor uranium enrichment")).status, 202);
    auto run_job = [&](const std::string& kind) {
        const auto started = daemon_.admin("POST", "/jobs/" + kind);
        EXPECT_EQ(started.status, 202) << started.body;
        if (started.status != 202) {
            return std::string();
        }
        const std::string id(parse(started.body).at("id").as_string());
        std::string state;
        eventually(
            [&] {
                const auto r = daemon_.admin("GET", "/jobs/" + id);
                state = r.status == 200 ? std::string(parse(r.body).at("state").as_string()) : "";
                return state == "succeeded" || state == "failed" || state == "cancelled";
            },
            std::chrono::seconds(20));
        EXPECT_EQ(state, "succeeded") << daemon_.admin("GET", "/jobs/" + id).body;
        return state;
    };
    run_job("retag");
    // The writer rebuilt its builder after the retag reloaded the taxonomy: ingest still works.
    ASSERT_EQ(daemon_.admin("POST", "/articles", article_line("t-2")).status, 202);
    EXPECT_TRUE(eventually([&] { return id_count(daemon_.data_dir(), "t-2") == 1; }));
    EXPECT_EQ(id_count(daemon_.data_dir(), "t-1"), 1u);
    run_job("verify");
    EXPECT_EQ(daemon_.admin("POST", "/jobs/frobnicate").status, 404);
}

TEST_F(ServeApiTest, MetricsExposeIngestAndRequests) {
    ASSERT_EQ(daemon_.admin("POST", "/articles", article_line("m-1")).status, 202);
    ASSERT_TRUE(eventually([&] { return id_count(daemon_.data_dir(), "m-1") == 1; }));
    const auto r = http_request(daemon_.port(), "GET", "/metrics");
    ASSERT_EQ(r.status, 200);
    EXPECT_NE(r.body.find("gazette_indexer_articles_ingested_total 1"), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("gazette_indexer_requests_total{endpoint=\"/articles\",method=\"POST\",status=\"202\"} 1"),
              std::string::npos);
    EXPECT_NE(r.body.find("gazette_indexer_commit_duration_seconds_count"), std::string::npos);
    EXPECT_NE(r.body.find("gazette_indexer_live_generation{generation=\"g000001\"} 1"), std::string::npos);
}

TEST_F(ServeApiTest, SighupKeepsServing) {
    daemon_.signal(SIGHUP);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const auto r = daemon_.admin("POST", "/articles", article_line("after-hup"));
    EXPECT_EQ(r.status, 202) << r.body;
    EXPECT_TRUE(eventually([&] { return id_count(daemon_.data_dir(), "after-hup") == 1; }));
}

TEST_F(ServeApiTest, SigtermDrainsAndAcknowledgedArticlesSurviveARestart) {
    ASSERT_EQ(daemon_.admin("POST", "/articles", article_line("term-1")).status, 202);
    ASSERT_EQ(daemon_.terminate(), 0) << daemon_.log();
    EXPECT_EQ(id_count(daemon_.data_dir(), "term-1"), 1u);
    daemon_.start();
    ASSERT_TRUE(daemon_.wait_ready()) << daemon_.log();
    EXPECT_EQ(id_count(daemon_.data_dir(), "term-1"), 1u);
}

} // namespace
