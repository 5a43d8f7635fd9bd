// Issue 5: a reindex and a rollback while clients keep querying searchd. No request may fail
// or be dropped, and answers must move to the new generation, then back after the rollback.

#include "support/http_client.hpp"
#include "support/process.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace gazette::test;

namespace {

struct Observed {
    std::mutex mutex;
    std::set<std::string> generations;
    std::vector<std::string> failures;
    std::atomic<int> requests{0};
};

/// Queries in a loop until `stop`, recording every answer's generation and every failure.
void query_loop(unsigned short port, const std::atomic<bool>& stop, Observed& seen) {
    const char* queries[] = {"pipeline", "sanctions", "goal", "\"Power of Siberia\"", "oil OR gas"};
    std::size_t i = 0;
    while (!stop.load()) {
        const std::string q = queries[i++ % std::size(queries)];
        HttpResponse r;
        try {
            r = http_get(port, "/search?q=" + url_encode(q) + "&facets=topic");
        } catch (const std::exception& e) {
            std::lock_guard lock(seen.mutex);
            seen.failures.push_back(std::string("connection: ") + e.what());
            continue;
        }
        ++seen.requests;
        boost::system::error_code ec;
        const auto v = json::parse(r.body, ec);
        std::lock_guard lock(seen.mutex);
        if (r.status != 200 || ec || !v.is_object()) {
            seen.failures.push_back(std::to_string(r.status) + " " + r.body.substr(0, 200));
            continue;
        }
        if (const auto* gen = v.as_object().if_contains("generation"); gen != nullptr && gen->is_string()) {
            seen.generations.insert(std::string(gen->as_string()));
        } else {
            seen.failures.push_back("no generation in " + r.body.substr(0, 200));
        }
    }
}

std::string live_generation_of(unsigned short port) {
    const auto r = http_get(port, "/search?q=pipeline");
    boost::system::error_code ec;
    const auto v = json::parse(r.body, ec);
    if (ec || !v.is_object() || !v.as_object().contains("generation")) {
        return {};
    }
    return std::string(v.at("generation").as_string());
}

/// Waits until searchd answers from `gen` (it polls live.stub every 100 ms).
bool wait_for_generation(unsigned short port, const std::string& gen) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
        if (live_generation_of(port) == gen) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

} // namespace

TEST(GenerationSwap, ReindexAndRollbackUnderLoadDropNothing) {
    std::string pattern = (fs::temp_directory_path() / "gazette-swap-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    const fs::path dir = pattern;
    const fs::path data = dir / "data";
    // The default rate limit (100/s per IP) would answer these busy clients with 429.
    const std::string config = (dir / "gazette.toml").string();
    {
        std::ofstream(config) << "topics_file = \"" << GAZETTE_SOURCE_DIR << "/config/topics.toml\"\n"
                              << "[rate_limit]\nenabled = false\n";
    }
    std::string out;
    ASSERT_EQ(run_command({GAZETTE_INDEXER_BIN, "index", "--data-dir", data.string(), "--config", config,
                           (fs::path(GAZETTE_SOURCE_DIR) / "tests/data/integration/articles.jsonl").string()},
                          &out),
              0)
        << out;
    {
        Daemon searchd({GAZETTE_SEARCHD_BIN, "--data-dir", data.string(), "--config", config, "--listen",
                        "127.0.0.1:0", "--threads", "2", "--ready-file", (dir / "port").string()},
                       dir / "port", dir / "searchd.log");
        const unsigned short port = searchd.port();
        const std::string first = live_generation_of(port);
        ASSERT_EQ(first, "g000001");

        Observed seen;
        std::atomic<bool> stop{false};
        std::vector<std::thread> clients;
        // Joins the clients on every exit path, including a failed ASSERT.
        struct Joiner {
            std::atomic<bool>& stop;
            std::vector<std::thread>& threads;
            ~Joiner() {
                stop = true;
                for (auto& t : threads) {
                    if (t.joinable()) {
                        t.join();
                    }
                }
            }
        } joiner{stop, clients};
        for (int c = 0; c < 3; ++c) {
            clients.emplace_back([&] { query_loop(port, stop, seen); });
        }

        // Reindex: a new generation built from the archive, verified and swapped in.
        ASSERT_EQ(run_command({GAZETTE_INDEXER_BIN, "reindex", "--data-dir", data.string(), "--config", config,
                               "--force"},
                              &out),
                  0)
            << out;
        EXPECT_TRUE(wait_for_generation(port, "g000002")) << searchd.log();

        // Rollback to the first generation.
        ASSERT_EQ(run_command({GAZETTE_INDEXER_BIN, "rollback", "--data-dir", data.string(), "--config", config,
                               "g000001"},
                              &out),
                  0)
            << out;
        EXPECT_TRUE(wait_for_generation(port, "g000001")) << searchd.log();

        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        stop = true;
        for (auto& t : clients) {
            t.join();
        }
        std::lock_guard lock(seen.mutex);
        EXPECT_TRUE(seen.failures.empty()) << seen.failures.size() << " failed, first: " << seen.failures.front();
        EXPECT_GT(seen.requests.load(), 50);
        EXPECT_TRUE(seen.generations.count("g000001") == 1 && seen.generations.count("g000002") == 1)
            << "answers came from both generations while the clients ran";
        EXPECT_EQ(searchd.stop(), 0) << searchd.log();
    }
    std::error_code ec;
    fs::remove_all(dir, ec);
}
