// Scale-out, sharding: two data directories each indexed with half of a fixture, each shard's
// live generation served by a real `xapian-tcpsrv`, and gazette-searchd combining them through
// a Xapian stub database (a generation that is a stub file of "remote HOST:PORT" lines). Totals,
// facets and trends must equal those of one index holding everything.

#include "scaleout/scaleout_support.hpp"
#include "support/http_client.hpp"
#include "support/process.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace gazette::test;
using namespace std::chrono_literals;

namespace {

json::object get_json(unsigned short port, const std::string& target) {
    const auto r = http_get(port, target);
    boost::system::error_code ec;
    auto v = json::parse(r.body, ec);
    if (r.status != 200 || ec || !v.is_object()) {
        ADD_FAILURE() << target << " -> " << r.status << " " << r.body.substr(0, 300);
        return {};
    }
    return v.as_object();
}

std::uint64_t total_of(const json::object& o) {
    const auto* t = o.if_contains("total");
    return t != nullptr && t->is_object()
               ? static_cast<std::uint64_t>(t->at("value").to_number<double>())
               : 0;
}

std::set<std::string> ids_of(const json::object& o) {
    std::set<std::string> ids;
    if (const auto* hits = o.if_contains("hits"); hits != nullptr && hits->is_array()) {
        for (const auto& h : hits->as_array()) {
            ids.emplace(h.at("id").as_string());
        }
    }
    return ids;
}

std::string read_text(const fs::path& path) {
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class ShardingTest : public ::testing::Test {
  protected:
    void SetUp() override {
        tcpsrv_ = find_program("xapian-tcpsrv");
        if (tcpsrv_.empty()) {
            GTEST_SKIP() << "xapian-tools (xapian-tcpsrv) is not installed";
        }
        std::string pattern = (fs::temp_directory_path() / "gazette-sharding-XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        dir_ = pattern;
        config_ = (dir_ / "gazette.toml").string();
        std::ofstream(config_) << "topics_file = \"" << GAZETTE_SOURCE_DIR
                               << "/config/topics.toml\"\n[rate_limit]\nenabled = false\n";
    }
    void TearDown() override {
        if (!dir_.empty()) {
            std::error_code ec;
            fs::remove_all(dir_, ec);
        }
    }

    void index(const fs::path& data, const fs::path& file) {
        std::string out;
        ASSERT_EQ(run_command({GAZETTE_INDEXER_BIN,
                               "index",
                               "--data-dir",
                               data.string(),
                               "--config",
                               config_,
                               file.string()},
                              &out),
                  0)
            << out;
    }

    fs::path dir_;
    std::string config_;
    std::string tcpsrv_;

    /// xapian-tcpsrv serving `shard`'s live pointer (a stub) on loopback `port`.
    std::vector<std::string> tcpsrv_argv(unsigned short port, const std::string& shard,
                                         const std::vector<std::string>& extra = {}) const {
        std::vector<std::string> argv{tcpsrv_, "--interface", "127.0.0.1", "--port", std::to_string(port)};
        argv.insert(argv.end(), extra.begin(), extra.end());
        argv.push_back((dir_ / shard / "live.stub").string());
        return argv;
    }
};

TEST_F(ShardingTest, SearchdCombinesRemoteShardsThroughAStub) {
    // Split the fixture: odd lines to shard 1, even lines to shard 2; and everything to `all`.
    const fs::path fixture = fs::path(GAZETTE_SOURCE_DIR) / "tests/data/integration/articles.jsonl";
    {
        std::ifstream in(fixture);
        std::ofstream a(dir_ / "a.jsonl"), b(dir_ / "b.jsonl");
        std::string line;
        for (int n = 0; std::getline(in, line); ++n) {
            (n % 2 == 0 ? a : b) << line << "\n";
        }
    }
    index(dir_ / "shard1", dir_ / "a.jsonl");
    index(dir_ / "shard2", dir_ / "b.jsonl");
    index(dir_ / "all", fixture);

    // Each tcpsrv serves its shard's live pointer (a stub), so a new connection opens the live one.
    const unsigned short p1 = free_port();
    const unsigned short p2 = free_port();
    Daemon srv1(with_ready_file(dir_ / "srv1.port",
                                p1,
                                tcpsrv_argv(p1, "shard1")),
                dir_ / "srv1.port",
                dir_ / "srv1.log");
    Daemon srv2(with_ready_file(dir_ / "srv2.port",
                                p2,
                                tcpsrv_argv(p2, "shard2", {"--idle-timeout", "1000"})),
                dir_ / "srv2.port",
                dir_ / "srv2.log");

    // The router data directory: its generation is a stub database naming both shards.
    // deploy/sharding/publish-shard-set.sh writes it and publishes it atomically.
    const fs::path router = dir_ / "router";
    const std::string publish =
        std::string(GAZETTE_SOURCE_DIR) + "/deploy/sharding/publish-shard-set.sh";
    const std::string shard1 = "127.0.0.1:" + std::to_string(p1);
    const std::string shard2 = "127.0.0.1:" + std::to_string(p2);
    std::string out;
    ASSERT_EQ(run_command({"/bin/bash", publish, router.string(), shard1, shard2}, &out), 0) << out;
    ASSERT_EQ(read_text(router / "generations/g000001"),
              "remote " + shard1 + "\nremote " + shard2 + "\n");

    Daemon sharded({GAZETTE_SEARCHD_BIN,
                    "--data-dir",
                    router.string(),
                    "--config",
                    config_,
                    "--listen",
                    "127.0.0.1:0",
                    "--threads",
                    "2",
                    "--ready-file",
                    (dir_ / "sharded.port").string()},
                   dir_ / "sharded.port",
                   dir_ / "sharded.log");
    Daemon single({GAZETTE_SEARCHD_BIN,
                   "--data-dir",
                   (dir_ / "all").string(),
                   "--config",
                   config_,
                   "--listen",
                   "127.0.0.1:0",
                   "--threads",
                   "2",
                   "--ready-file",
                   (dir_ / "single.port").string()},
                  dir_ / "single.port",
                  dir_ / "single.log");
    ASSERT_TRUE(wait_until(
        [&] { return http_get(sharded.port(), "/search?q=pipeline").status == 200; }, 15s))
        << sharded.log() << srv1.log();

    for (const std::string q : {"pipeline", "oil OR gas", "\"Power of Siberia\"", "sanctions"}) {
        const std::string target =
            "/search?q=" + url_encode(q) + "&facets=topic,source,year&limit=20";
        const auto s = get_json(sharded.port(), target);
        const auto one = get_json(single.port(), target);
        EXPECT_EQ(total_of(s), total_of(one)) << q;
        EXPECT_EQ(ids_of(s), ids_of(one)) << q;
        EXPECT_EQ(json::serialize(s.at("facets")), json::serialize(one.at("facets"))) << q;
    }
    // Hits come from both shards.
    const auto shard_ids = [&](const fs::path& file) {
        std::set<std::string> ids;
        std::ifstream in(file);
        for (std::string line; std::getline(in, line);) {
            ids.emplace(json::parse(line).at("id").as_string());
        }
        return ids;
    };
    const auto ids1 = shard_ids(dir_ / "a.jsonl");
    const auto ids2 = shard_ids(dir_ / "b.jsonl");
    const auto hits = ids_of(get_json(
        sharded.port(), "/search?q=" + url_encode("oil OR gas OR pipeline") + "&limit=20"));
    const auto from = [&](const std::set<std::string>& shard) {
        return std::count_if(
            hits.begin(), hits.end(), [&](const std::string& id) { return shard.count(id) > 0; });
    };
    EXPECT_GT(from(ids1), 0) << "no hit from shard 1";
    EXPECT_GT(from(ids2), 0) << "no hit from shard 2";

    EXPECT_EQ(json::serialize(get_json(sharded.port(), "/trends?q=oil").at("buckets")),
              json::serialize(get_json(single.port(), "/trends?q=oil").at("buckets")));
    EXPECT_EQ(get_json(sharded.port(), "/stats").at("articles"),
              get_json(single.port(), "/stats").at("articles"));
    const auto exported = http_get(sharded.port(), "/export?q=pipeline&format=csv");
    EXPECT_EQ(exported.body, http_get(single.port(), "/export?q=pipeline&format=csv").body);
    for (const auto& id : {*ids1.begin(), *ids2.begin()}) {
        EXPECT_EQ(http_get(sharded.port(), "/articles/" + url_encode(id)).status, 200) << id;
    }
    const auto sugg = get_json(sharded.port(), "/suggest?q=pip");
    EXPECT_NE(json::serialize(sugg).find("pipeline"), std::string::npos) << json::serialize(sugg);

    // Date-sorted cursors need a MatchDecider, which remote shards do not run: a clean 400.
    {
        const auto first = get_json(sharded.port(), "/search?q=pipeline&sort=date&limit=1");
        ASSERT_TRUE(first.contains("next_cursor") && first.at("next_cursor").is_string());
        const auto next = http_get(sharded.port(),
                                   "/search?q=pipeline&sort=date&limit=1&cursor=" +
                                       std::string(first.at("next_cursor").as_string()));
        EXPECT_EQ(next.status, 400) << next.body;
    }
    // Shard 2's server drops idle connections after 1 s: searchd reconnects transparently.
    std::this_thread::sleep_for(1500ms);
    EXPECT_EQ(total_of(get_json(sharded.port(), "/search?q=pipeline")),
              total_of(get_json(single.port(), "/search?q=pipeline")));
    // A shard down: 503 (so a balancer tries elsewhere), then back to normal when it returns.
    srv2.kill_hard();
    std::this_thread::sleep_for(1500ms);
    EXPECT_EQ(http_get(sharded.port(), "/search?q=pipeline").status, 503);
    Daemon srv2_again(with_ready_file(dir_ / "srv2b.port",
                                      p2,
                                      tcpsrv_argv(p2, "shard2")),
                      dir_ / "srv2b.port",
                      dir_ / "srv2b.log");
    EXPECT_TRUE(wait_until(
        [&] { return http_get(sharded.port(), "/search?q=pipeline").status == 200; }, 10s))
        << sharded.log();

    // Changing the shard set is a generation swap on the router: here, shard 1 alone.
    ASSERT_EQ(run_command({"/bin/bash", publish, router.string(), shard1}, &out), 0) << out;
    const auto only1 = [&] { return get_json(sharded.port(), "/search?q=pipeline"); };
    EXPECT_TRUE(wait_until(
        [&] { return std::string(only1().at("generation").as_string()) == "g000002"; }, 10s));
    EXPECT_LT(total_of(only1()), total_of(get_json(single.port(), "/search?q=pipeline")));

    // Stopping right after a swap: the facet-column build it triggered (slow over the network)
    // must finish before logging shuts down, so searchd exits cleanly (Engine::stop).
    EXPECT_EQ(sharded.stop(), 0) << sharded.log();
    EXPECT_EQ(single.stop(), 0) << single.log();
}

} // namespace
