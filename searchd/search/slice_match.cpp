#include "searchd/search/slice_match.hpp"

#include "common/logging.hpp"
#include "searchd/search/docid_range.hpp"
#include "searchd/search/weighting.hpp"

#include <algorithm>
#include <chrono>

namespace gazette::searchd {

SliceResult match_slice(const Xapian::Database& db, const Xapian::Query& query, const SliceSpec& spec,
                        Xapian::MSet* mset) {
    Xapian::Enquire enquire(db);
    enquire.set_weighting_scheme(ranking_weight());
    auto* range = new DocidRangeSource(spec.first, spec.end);
    enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query(range->release())));
    if (spec.time_limit_s > 0) {
        enquire.set_time_limit(spec.time_limit_s);
    }
    // check_at_least = window + 1, as the single match: enough to tell whether a next page exists.
    const Xapian::MSet m = enquire.get_mset(0, spec.window, spec.window + 1);
    SliceResult r;
    r.top.reserve(m.size());
    for (auto it = m.begin(); it != m.end(); ++it) {
        r.top.emplace_back(it.get_weight(), *it);
    }
    r.lower = m.get_matches_lower_bound();
    r.estimated = m.get_matches_estimated();
    r.upper = m.get_matches_upper_bound();
    if (mset != nullptr) {
        *mset = m;
    }
    return r;
}

SliceResult merge_slices(const std::vector<SliceResult>& slices, std::size_t offset, std::size_t limit) {
    SliceResult out;
    std::vector<std::pair<double, Xapian::docid>> all;
    for (const auto& s : slices) {
        all.insert(all.end(), s.top.begin(), s.top.end());
        out.lower += s.lower;
        out.estimated += s.estimated;
        out.upper += s.upper;
    }
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    for (std::size_t i = offset; i < all.size() && i < offset + limit; ++i) {
        out.top.push_back(all[i]);
    }
    return out;
}

std::optional<SliceResult> SliceTask::wait() {
    // The helper started at most one wake-up later than this thread's slice and does the same
    // amount of work: spin a little before sleeping, or this thread pays a wake-up too.
    const auto spin_until = std::chrono::steady_clock::now() + std::chrono::microseconds(300);
    while (!done.load(std::memory_order_acquire) && std::chrono::steady_clock::now() < spin_until) {
        std::this_thread::yield();
    }
    if (!done.load(std::memory_order_acquire)) {
        std::unique_lock lock(mutex);
        cv.wait(lock, [this] { return done.load(std::memory_order_acquire); });
    }
    return std::move(result);
}

namespace {

std::int64_t now_ns() noexcept {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

/// How long after two matches overlapped the machine still counts as busy.
constexpr std::int64_t kQuietNs = 20'000'000; // 20 ms

} // namespace

void SliceHelpers::note_concurrency() noexcept {
    last_concurrent_ns_.store(now_ns(), std::memory_order_relaxed);
}

bool SliceHelpers::recently_concurrent() const noexcept {
    const std::int64_t last = last_concurrent_ns_.load(std::memory_order_relaxed);
    return last != 0 && now_ns() - last < kQuietNs;
}

struct SliceHelpers::Helper {
    std::mutex mutex;
    std::condition_variable cv;
    std::shared_ptr<SliceTask> task;
    std::atomic<bool> pending{false}; ///< a task waits in `task` (read while spinning)
    bool stopping = false;
    std::atomic<bool> busy{false};
    std::string path;
    Xapian::Database db; ///< touched only by this helper's thread
    std::thread thread;
};

SliceHelpers::SliceHelpers(std::size_t threads, std::size_t max_in_flight, std::chrono::microseconds spin)
    : max_in_flight_(max_in_flight), spin_(spin) {
    for (std::size_t i = 0; i < threads; ++i) {
        helpers_.push_back(std::make_unique<Helper>());
    }
    for (auto& h : helpers_) {
        Helper* helper = h.get();
        helper->thread = std::thread([this, helper] { run(*helper); });
    }
}

SliceHelpers::~SliceHelpers() { stop(); }

void SliceHelpers::stop() {
    for (auto& h : helpers_) {
        {
            std::lock_guard lock(h->mutex);
            h->stopping = true;
        }
        h->cv.notify_all();
    }
    for (auto& h : helpers_) {
        if (h->thread.joinable()) {
            h->thread.join();
        }
    }
}

std::shared_ptr<SliceTask> SliceHelpers::try_start(const std::string& path, Xapian::rev revision,
                                                   const Xapian::Query& query, const SliceSpec& spec) {
    if (in_flight_.load(std::memory_order_acquire) >= max_in_flight_ || recently_concurrent()) {
        return nullptr; // other matches run or ran just now: a split would take CPU from them
    }
    for (auto& h : helpers_) {
        bool idle = false;
        if (!h->busy.compare_exchange_strong(idle, true, std::memory_order_acq_rel)) {
            continue;
        }
        auto task = std::make_shared<SliceTask>();
        task->path = path;
        task->revision = revision;
        task->spec = spec;
        try {
            task->query = query.serialise();
        } catch (const Xapian::Error& e) {
            // A query Xapian cannot serialise (a custom PostingSource, say): match it whole.
            logger("search")->debug("slice: query not serialisable: {}", e.get_description());
            h->busy.store(false, std::memory_order_release);
            return nullptr;
        }
        {
            std::lock_guard lock(h->mutex);
            if (h->stopping) {
                h->busy.store(false, std::memory_order_release);
                return nullptr;
            }
            h->task = task;
            h->pending.store(true, std::memory_order_release);
        }
        h->cv.notify_one();
        return task;
    }
    return nullptr;
}

void SliceHelpers::run(Helper& h) {
    std::unique_lock lock(h.mutex);
    for (;;) {
        h.cv.wait(lock, [&h] { return h.stopping || h.task != nullptr; });
        std::shared_ptr<SliceTask> task = std::move(h.task);
        h.task.reset();
        h.pending.store(false, std::memory_order_relaxed);
        const bool stopping = h.stopping;
        lock.unlock();
        if (task) {
            std::optional<SliceResult> result;
            if (!stopping) {
                try {
                    if (h.path != task->path) {
                        h.db = Xapian::Database(task->path);
                        h.path = task->path;
                    } else {
                        h.db.reopen();
                    }
                    // The requester's handle and this one must see the same commit, or the
                    // slices would mix two states of the index.
                    if (h.db.get_revision() == task->revision) {
                        result = match_slice(h.db, Xapian::Query::unserialise(task->query), task->spec);
                        slices_run_.fetch_add(1, std::memory_order_relaxed);
                    }
                } catch (const Xapian::Error& e) {
                    logger("search")->debug("slice helper: {}; the requester runs the slice", e.get_description());
                    h.path.clear(); // reopen from scratch next time
                }
            }
            // Idle again before the requester learns the result, so that its next match
            // finds this helper free (a task handed over meanwhile waits in h.task).
            h.busy.store(false, std::memory_order_release);
            {
                std::lock_guard done_lock(task->mutex);
                task->result = std::move(result);
                task->done.store(true, std::memory_order_release);
            }
            task->cv.notify_all();
        }
        if (stopping) {
            return;
        }
        // Poll for the next slice a while before sleeping: on a lightly loaded server the next
        // request comes soon, and a wake-up would cost a good part of what the split saves.
        const auto spin_until = std::chrono::steady_clock::now() + spin_;
        while (!h.pending.load(std::memory_order_acquire) && std::chrono::steady_clock::now() < spin_until) {
            std::this_thread::yield();
        }
        lock.lock();
    }
}

} // namespace gazette::searchd
