#include "searchd/search/searcher.hpp"
#include "searchd/search/worker_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>

namespace gazette::searchd {
namespace {

TEST(WorkerPool, RefusesWhenQueueFullAndDrainsOnStop) {
    std::promise<void> release;
    std::shared_future<void> gate = release.get_future().share();
    std::atomic<int> ran{0};
    // The tasks never use their Searcher, so it gets an empty environment.
    WorkerPool pool(1, 2, [] { return std::make_unique<Searcher>(SearchEnv{}); });
    auto blocker = [gate, &ran](Searcher&) {
        gate.wait();
        ++ran;
    };
    ASSERT_TRUE(pool.try_submit(blocker)); // runs (blocks the one worker)
    // Wait until the worker took it, so the queue is empty.
    for (int i = 0; i < 1000 && pool.busy() == 0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ASSERT_EQ(pool.busy(), 1U);
    EXPECT_TRUE(pool.try_submit(blocker));
    EXPECT_TRUE(pool.try_submit(blocker));
    EXPECT_FALSE(pool.try_submit(blocker)); // queue depth 2 reached: overloaded
    EXPECT_EQ(pool.queued(), 2U);
    release.set_value();
    pool.stop();
    EXPECT_EQ(ran.load(), 3);
    EXPECT_FALSE(pool.try_submit(blocker));
}

} // namespace
} // namespace gazette::searchd
