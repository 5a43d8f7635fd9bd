#pragma once
/// A fixed pool of search workers behind a bounded queue.
///
/// Searches never run on I/O threads (Xapian cannot interrupt a match). Each worker builds
/// its own Searcher in its own thread and keeps it for life. When the queue is full,
/// try_submit() refuses at once so the caller can answer 503 overloaded instead of queueing
/// without bound. Thread-safety: try_submit/queued/stop may be called from any thread.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace gazette::searchd {

class Searcher;

class WorkerPool {
public:
    using Task = std::function<void(Searcher&)>;
    using SearcherFactory = std::function<std::unique_ptr<Searcher>()>;

    /// Starts `threads` workers (at least 1); the queue holds at most `queue_depth` waiting
    /// tasks (at least 1). `factory` is called once in each worker thread.
    WorkerPool(std::size_t threads, std::size_t queue_depth, SearcherFactory factory);
    /// Stops (running the queued tasks first) and joins.
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    /// Queues a task; false when the queue is full or the pool is stopping.
    /// A task must not throw (exceptions are caught and logged, never propagated).
    [[nodiscard]] bool try_submit(Task task);

    /// Tasks waiting (not running).
    std::size_t queued() const;
    /// Tasks running right now.
    std::size_t busy() const;
    std::size_t capacity() const noexcept { return queue_depth_; }
    std::size_t threads() const noexcept { return threads_.size(); }

    /// Refuses new tasks, finishes the queued ones, joins the workers. Idempotent.
    void stop();

private:
    void work();

    std::size_t queue_depth_;
    SearcherFactory factory_;
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<Task> queue_;
    std::size_t busy_ = 0;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

} // namespace gazette::searchd
