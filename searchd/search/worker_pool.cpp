#include "searchd/search/worker_pool.hpp"

#include "common/logging.hpp"
#include "searchd/search/searcher.hpp"

#include <algorithm>
#include <exception>

namespace gazette::searchd {

WorkerPool::WorkerPool(std::size_t threads, std::size_t queue_depth, SearcherFactory factory)
    : queue_depth_(std::max<std::size_t>(queue_depth, 1)), factory_(std::move(factory)) {
    const std::size_t n = std::max<std::size_t>(threads, 1);
    threads_.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        threads_.emplace_back([this] { work(); });
    }
}

WorkerPool::~WorkerPool() { stop(); }

bool WorkerPool::try_submit(Task task) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_ || queue_.size() >= queue_depth_) {
            return false;
        }
        queue_.push_back(std::move(task));
    }
    cv_.notify_one();
    return true;
}

std::size_t WorkerPool::queued() const {
    std::lock_guard lock(mutex_);
    return queue_.size();
}

std::size_t WorkerPool::busy() const {
    std::lock_guard lock(mutex_);
    return busy_;
}

void WorkerPool::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    cv_.notify_all();
    for (auto& t : threads_) {
        if (t.joinable()) {
            t.join();
        }
    }
}

void WorkerPool::work() {
    std::unique_ptr<Searcher> searcher;
    try {
        searcher = factory_();
    } catch (const std::exception& e) {
        logger("search")->critical("search worker cannot start: {}", e.what());
    }
    while (true) {
        Task task;
        {
            std::unique_lock lock(mutex_);
            cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) {
                return; // stopping and drained
            }
            task = std::move(queue_.front());
            queue_.pop_front();
            ++busy_;
        }
        try {
            if (!searcher) {
                searcher = factory_();
            }
            task(*searcher);
        } catch (const std::exception& e) {
            logger("search")->error("search task failed: {}", e.what());
        } catch (...) {
            logger("search")->error("search task failed with an unknown exception");
        }
        std::lock_guard lock(mutex_);
        --busy_;
    }
}

} // namespace gazette::searchd
