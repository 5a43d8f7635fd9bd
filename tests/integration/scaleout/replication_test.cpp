// Scale-out, replication: a primary (`gazette-indexer serve`) publishes its generations with
// the real xapian-replicate-server; a replica data directory follows it with
// `gazette-indexer follow`, and a real gazette-searchd serves the replica. New articles, a
// reindex (new generation) and a rollback on the primary must all reach the replica's searchd.

#include "scaleout/scaleout_support.hpp"
#include "support/http_client.hpp"
#include "support/process.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace gazette::test;
using namespace std::chrono_literals;

namespace {

constexpr const char* kPrimaryKey = "scaleout-primary-admin-key-0123456789";

struct Answer {
    int status = 0;
    std::string generation;
    std::uint64_t total = 0;
    std::string body;
};

Answer search(unsigned short port, const std::string& query, const std::string& extra = {}) {
    Answer a;
    const auto r = http_get(port, "/search?q=" + url_encode(query) + extra);
    a.status = r.status;
    a.body = r.body;
    boost::system::error_code ec;
    const auto v = json::parse(r.body, ec);
    if (ec || !v.is_object()) {
        return a;
    }
    const auto& o = v.as_object();
    if (const auto* g = o.if_contains("generation"); g != nullptr && g->is_string()) {
        a.generation = std::string(g->as_string());
    }
    if (const auto* t = o.if_contains("total"); t != nullptr && t->is_object()) {
        a.total = static_cast<std::uint64_t>(t->as_object().at("value").to_number<double>());
    }
    return a;
}

/// The count of `value` in facet `field` of a /search answer (0 when absent).
std::uint64_t
facet_count(const std::string& body, const std::string& field, const std::string& value) {
    boost::system::error_code ec;
    const auto v = json::parse(body, ec);
    if (ec || !v.is_object()) {
        return 0;
    }
    const auto* facets = v.as_object().if_contains("facets");
    const auto* list =
        facets != nullptr && facets->is_object() ? facets->as_object().if_contains(field) : nullptr;
    if (list == nullptr || !list->is_array()) {
        return 0;
    }
    for (const auto& e : list->as_array()) {
        if (e.is_object() && e.as_object().contains("value") && e.at("value") == value.c_str()) {
            return static_cast<std::uint64_t>(e.at("count").to_number<double>());
        }
    }
    return 0;
}

HttpResponse admin(unsigned short port, const std::string& method, const std::string& target) {
    return http_request(
        port, method, target, {}, {{"Authorization", std::string("Bearer ") + kPrimaryKey}});
}

class ReplicationTest : public ::testing::Test {
  protected:
    void SetUp() override {
        replicate_server_ = find_program("xapian-replicate-server");
        if (replicate_server_.empty() || find_program("xapian-replicate").empty()) {
            GTEST_SKIP()
                << "xapian-tools (xapian-replicate, xapian-replicate-server) is not installed";
        }
        std::string pattern = (fs::temp_directory_path() / "gazette-replication-XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        dir_ = pattern;
        primary_ = dir_ / "primary";
        replica_ = dir_ / "replica";
        std::ofstream(dir_ / "primary.toml")
            << "topics_file = \"" << GAZETTE_SOURCE_DIR << "/config/topics.toml\"\n"
            << "[[keys]]\nname = \"admin\"\nkey = \"" << kPrimaryKey << "\"\nscopes = [\"admin\"]\n"
            << "[indexer]\ncommit_interval_ms = 100\ninbox_poll_ms = 50\n";
        std::ofstream(dir_ / "replica.toml")
            << "topics_file = \"" << GAZETTE_SOURCE_DIR
            << "/config/topics.toml\"\n[rate_limit]\nenabled = false\n";
        std::ofstream(dir_ / "primary.key") << kPrimaryKey << "\n";
    }
    void TearDown() override {
        if (!dir_.empty()) {
            std::error_code ec;
            fs::remove_all(dir_, ec);
        }
    }

    void scenario(bool changesets);

    fs::path dir_, primary_, replica_;
    std::string replicate_server_;
};

/// The whole scenario; `changesets` decides whether the primary's writer keeps Xapian
/// changesets (deltas, applied in place) or replicas get a full copy for every change (a new
/// replica_N folder, which the follower makes searchd open anew).
void ReplicationTest::scenario(bool changesets) {
    // Through the config key (the indexer sets XAPIAN_MAX_CHANGESETS for itself).
    ::unsetenv("XAPIAN_MAX_CHANGESETS");
    if (changesets) {
        std::ofstream(dir_ / "primary.toml", std::ios::app) << "replication_changesets = 100\n";
    }
    std::string out;
    ASSERT_EQ(
        run_command(
            {GAZETTE_INDEXER_BIN,
             "index",
             "--data-dir",
             primary_.string(),
             "--config",
             (dir_ / "primary.toml").string(),
             (fs::path(GAZETTE_SOURCE_DIR) / "tests/data/integration/articles.jsonl").string()},
            &out),
        0)
        << out;

    Daemon serve({GAZETTE_INDEXER_BIN,
                  "serve",
                  "--data-dir",
                  primary_.string(),
                  "--config",
                  (dir_ / "primary.toml").string(),
                  "--admin-listen",
                  "127.0.0.1:0",
                  "--ready-file",
                  (dir_ / "serve.port").string()},
                 dir_ / "serve.port",
                 dir_ / "serve.log");
    const unsigned short repl_port = free_port();
    Daemon repl_server(with_ready_file(dir_ / "repl.port",
                                       repl_port,
                                       {replicate_server_,
                                        "--interface=127.0.0.1",
                                        "--port=" + std::to_string(repl_port),
                                        (primary_ / "generations").string()}),
                       dir_ / "repl.port",
                       dir_ / "repl.log");
    Daemon follow(with_ready_file(dir_ / "follow.port",
                                  1,
                                  {GAZETTE_INDEXER_BIN,
                                   "follow",
                                   "--data-dir",
                                   replica_.string(),
                                   "--config",
                                   (dir_ / "replica.toml").string(),
                                   "--primary",
                                   "http://127.0.0.1:" + std::to_string(serve.port()),
                                   "--replicate-from",
                                   "127.0.0.1:" + std::to_string(repl_port),
                                   "--primary-key-file",
                                   (dir_ / "primary.key").string(),
                                   "--interval-ms",
                                   "200"}),
                  dir_ / "follow.port",
                  dir_ / "follow.log");

    // The replica publishes its live pointer only once the generation is fully replicated.
    ASSERT_TRUE(wait_until([&] { return fs::exists(replica_ / "live.stub"); }, 30s))
        << follow.log();
    EXPECT_TRUE(fs::exists(replica_ / "generations/g000001/XAPIANDB")) << "a Xapian replica folder";
    // Xapian's own tools open the replica's pointer like the primary's.
    ASSERT_EQ(
        run_command({"/usr/bin/env", "xapian-delve", (replica_ / "live.stub").string()}, &out), 0)
        << out;
    EXPECT_NE(out.find("number of documents = 12"), std::string::npos) << out;

    Daemon searchd({GAZETTE_SEARCHD_BIN,
                    "--data-dir",
                    replica_.string(),
                    "--config",
                    (dir_ / "replica.toml").string(),
                    "--listen",
                    "127.0.0.1:0",
                    "--threads",
                    "2",
                    "--ready-file",
                    (dir_ / "searchd.port").string()},
                   dir_ / "searchd.port",
                   dir_ / "searchd.log");
    const unsigned short port = searchd.port();
    ASSERT_TRUE(wait_until([&] { return search(port, "pipeline").status == 200; }, 10s))
        << searchd.log();
    const auto first = search(port, "pipeline", "&facets=topic,source");
    EXPECT_EQ(first.generation, "g000001");
    EXPECT_GT(first.total, 0U);
    EXPECT_GT(facet_count(first.body, "source", "Energy Daily"), 0U) << first.body.substr(0, 600);

    // 1. Articles added on the primary after the first sync (a file dropped in its inbox).
    {
        const fs::path tmp = dir_ / "extra.jsonl";
        std::ofstream(tmp)
            << R"({"id":"extra-1","title":"Zanzibarian lighthouse reopens","body":"The zanzibarian lighthouse keeper welcomed visitors.","source":"it","date":"2024-05-16"})"
            << "\n";
        fs::rename(tmp, primary_ / "inbox" / "extra.jsonl");
    }
    EXPECT_TRUE(wait_until([&] { return search(port, "zanzibarian").total == 1; }, 20s))
        << follow.log() << serve.log();
    EXPECT_EQ(search(port, "zanzibarian").generation, "g000001");

    // 2. A reindex on the primary: a new generation, followed once complete.
    auto r = admin(serve.port(), "POST", "/jobs/reindex");
    ASSERT_EQ(r.status, 202) << r.body;
    EXPECT_TRUE(wait_until([&] { return search(port, "pipeline").generation == "g000002"; }, 40s))
        << follow.log() << serve.log();
    EXPECT_EQ(search(port, "zanzibarian").total, 1U)
        << "the reindexed generation has the new article";
    EXPECT_TRUE(fs::exists(replica_ / "generations/g000001/XAPIANDB"))
        << "retained generations are mirrored";

    // 3. A rollback on the primary moves the replica back too.
    r = admin(serve.port(), "POST", "/generations/g000001/activate");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(wait_until([&] { return search(port, "pipeline").generation == "g000001"; }, 20s))
        << follow.log();
    const auto back = search(port, "pipeline");
    EXPECT_EQ(back.total, first.total);

    // 4. Commits to the rolled-back generation still flow.
    r = http_request(
        serve.port(),
        "POST",
        "/articles",
        R"({"id":"extra-2","title":"Quixotic windmill survey","body":"A quixotic survey of windmills.","source":"it","date":"2024-05-17"})",
        {{"Authorization", std::string("Bearer ") + kPrimaryKey},
         {"Content-Type", "application/json"}});
    ASSERT_EQ(r.status, 202) << r.body;
    EXPECT_TRUE(wait_until([&] { return search(port, "quixotic").total == 1; }, 20s))
        << follow.log();
    // Deltas are applied in place; without changesets every change is a full copy.
    EXPECT_EQ(follow.log().find("(full copy)") == std::string::npos, changesets) << follow.log();

    // The replica is read-only for everyone but the follower: an indexer run there fails on the
    // LOCK.
    EXPECT_NE(
        run_command(
            {GAZETTE_INDEXER_BIN,
             "index",
             "--data-dir",
             replica_.string(),
             "--config",
             (dir_ / "replica.toml").string(),
             (fs::path(GAZETTE_SOURCE_DIR) / "tests/data/integration/articles.jsonl").string()},
            &out),
        0)
        << out;

    if (std::getenv("GAZETTE_IT_VERBOSE") != nullptr) {
        std::fprintf(
            stderr, "--- follow\n%s--- searchd\n%s", follow.log().c_str(), searchd.log().c_str());
    }
    EXPECT_EQ(follow.stop(), 0) << follow.log();
    EXPECT_EQ(searchd.stop(), 0) << searchd.log();
    EXPECT_EQ(serve.stop(), 0) << serve.log();
}

TEST_F(ReplicationTest, ReplicaFollowsCommitsReindexAndRollbackWithChangesets) {
    scenario(true);
}

TEST_F(ReplicationTest, ReplicaFollowsCommitsReindexAndRollbackWithFullCopies) {
    scenario(false);
}

} // namespace
