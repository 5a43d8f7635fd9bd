#include "searchd/search/generation_watcher.hpp"

#include "common/logging.hpp"

#include <fstream>
#include <sstream>

namespace gazette::searchd {

GenerationWatcher::GenerationWatcher(DataDir data_dir, std::chrono::milliseconds poll_interval)
    : data_dir_(std::move(data_dir)), poll_interval_(poll_interval) {}

GenerationWatcher::~GenerationWatcher() { stop(); }

void GenerationWatcher::start() {
    poll_once();
    std::lock_guard lock(mutex_);
    if (!thread_.joinable()) {
        stopping_ = false;
        thread_ = std::thread([this] { run(); });
    }
}

void GenerationWatcher::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

bool GenerationWatcher::poll_once() {
    try {
        std::string stub;
        {
            std::ifstream in(data_dir_.live_stub(), std::ios::binary);
            if (!in) {
                return false; // nothing published yet (or a rename in progress)
            }
            std::ostringstream ss;
            ss << in.rdbuf();
            stub = ss.str();
        }
        {
            std::lock_guard lock(mutex_);
            if (stub == last_stub_) {
                return false;
            }
        }
        const auto gen = data_dir_.live_generation();
        if (!gen) {
            return false;
        }
        std::lock_guard lock(mutex_);
        last_stub_ = std::move(stub);
        // Same name, new stub text: a replica re-copied the generation in place (see
        // indexer/replica/follower.hpp); bumping makes workers open it anew instead of reopen().
        live_ = *gen;
        sequence_.fetch_add(1, std::memory_order_acq_rel);
        logger("search")->info("live generation is now {}", live_);
        return true;
    } catch (const std::exception& e) {
        logger("search")->warn("cannot read live generation: {}", e.what());
        return false;
    }
}

std::optional<std::string> GenerationWatcher::live() const {
    std::lock_guard lock(mutex_);
    if (live_.empty()) {
        return std::nullopt;
    }
    return live_;
}

void GenerationWatcher::run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        cv_.wait_for(lock, poll_interval_, [this] { return stopping_; });
        if (stopping_) {
            break;
        }
        lock.unlock();
        if (poll_once() && on_change_) {
            on_change_();
        }
        lock.lock();
    }
}

} // namespace gazette::searchd
