#pragma once
/// The search side of searchd as one object: analyzer, taxonomy, generation watcher, worker
/// pool and result cache. The HTTP side (api/) talks to it with plain structs only.
///
/// Every submit_* call returns false at once when the queue is full (-> 503 overloaded);
/// otherwise `done` is called exactly once, on a worker thread.

#include "common/config.hpp"
#include "common/error.hpp"
#include "searchd/search/suggest.hpp"
#include "searchd/search/types.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gazette::searchd {

class Searcher;

class Engine {
public:
    /// `config` must outlive the engine. Loads the taxonomy from config.topics_file when the
    /// file exists (a missing file is logged; a broken one throws ErrorException).
    explicit Engine(const Config& config);
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    /// Starts the generation watcher and the workers.
    void start();
    /// Finishes queued work, stops the workers and the watcher. Idempotent.
    void stop();

    template <class T>
    using Callback = std::function<void(Result<T>)>;

    [[nodiscard]] bool submit_search(SearchRequest request, Callback<SearchResult> done);
    /// Runs a search on the calling thread, with a Searcher owned by that thread (opened on
    /// its first search, kept for the thread's life, reopened between requests like a
    /// worker's). For the HTTP I/O threads: each runs its own searches (thread-per-core), which
    /// saves the hand-off to a worker and back (two wake-ups and context switches per request).
    /// Concurrency is bounded by the number of calling threads. Never throws.
    [[nodiscard]] Result<SearchResult> search_here(const SearchRequest& request);
    [[nodiscard]] bool submit_article(std::string id, std::string generation,
                                      Callback<ArticleResult> done);
    [[nodiscard]] bool submit_stats(Callback<StatsResult> done);
    [[nodiscard]] bool submit_topics(Callback<std::vector<TopicCount>> done);
    /// Autocomplete (/suggest) on the live generation; the completion index is built once
    /// per generation and shared by the workers.
    [[nodiscard]] bool submit_suggest(SuggestRequest request, Callback<SuggestResult> done);

    /// Queues any work that needs a worker's Searcher (research endpoints, export batches).
    /// The job must report its own errors (it runs inside a catch-all that only logs).
    [[nodiscard]] bool submit_job(std::function<void(Searcher&)> job);

    /// Whether a live generation exists (cheap; safe on I/O threads).
    bool ready() const noexcept;
    /// The live generation name, if any.
    std::optional<std::string> live_generation() const;
    /// Documents in the live generation as last seen by a worker.
    std::uint64_t doc_count() const noexcept;
    std::size_t queue_depth() const;
    std::size_t queue_capacity() const noexcept;
    std::size_t busy_workers() const;
    std::uint64_t cache_hits() const;
    std::uint64_t cache_misses() const;
    std::size_t cache_size() const;
    /// Completion indexes built so far (/suggest), warm-ups after swaps included.
    std::uint64_t suggest_index_builds() const;
    /// Match slices run by the helper thread (parallel relevance matches).
    std::uint64_t sliced_matches() const;
    /// Empties the result cache and the suggest index (admin; benchmarks of cold queries).
    void clear_caches();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace gazette::searchd
