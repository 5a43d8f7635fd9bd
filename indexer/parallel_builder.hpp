#pragma once
/// Builds documents for a batch of articles on a fixed set of threads, each with its own
/// TermGenerator (they are not thread-safe). Results keep the input order so the writer can
/// apply upserts in order and the last version of an id wins.

#include "indexer/document_builder.hpp"

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace gazette::indexer {

class ParallelBuilder {
public:
    /// `threads` >= 1; the calling thread also works during build().
    ParallelBuilder(const DocumentBuilder& builder, std::size_t threads);
    ~ParallelBuilder();
    ParallelBuilder(const ParallelBuilder&) = delete;
    ParallelBuilder& operator=(const ParallelBuilder&) = delete;

    /// Builds one document per article (articles get lang and topics filled in). Blocks until
    /// all are done. Not reentrant: one build() at a time.
    std::vector<Xapian::Document> build(std::vector<Article>& articles);

    const DocumentBuilder& builder() const noexcept { return builder_; }

    /// Runs fn(i) for i in [0, n) on the pool (used by retag). Blocks.
    void for_each(std::size_t n, const std::function<void(std::size_t, Xapian::TermGenerator&)>& fn);

private:
    void worker_loop();
    using Job = std::function<void(std::size_t, Xapian::TermGenerator&)>;
    void work(const Job& job, std::size_t size, Xapian::TermGenerator& tg);

    const DocumentBuilder& builder_;
    std::vector<std::thread> threads_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable done_;
    const Job* job_ = nullptr;
    std::size_t job_size_ = 0;
    std::atomic<std::size_t> next_{0};
    std::size_t active_ = 0;
    std::uint64_t generation_ = 0;
    bool stop_ = false;
};

} // namespace gazette::indexer
