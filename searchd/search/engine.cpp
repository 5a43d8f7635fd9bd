#include "searchd/search/engine.hpp"
#include "searchd/search/slice_match.hpp"

#include "common/analyzer.hpp"
#include "common/data_dir.hpp"
#include "common/logging.hpp"
#include "common/topics.hpp"
#include "searchd/search/generation_watcher.hpp"
#include "searchd/search/result_cache.hpp"
#include "searchd/search/searcher.hpp"
#include "searchd/search/synonyms.hpp"
#include "searchd/search/worker_pool.hpp"

#include <xapian.h>

#include <atomic>
#include <filesystem>
#include <thread>
#include <utility>
#include <vector>

namespace gazette::searchd {
namespace {

constexpr std::chrono::milliseconds kPollInterval{100};

std::atomic<std::uint64_t> next_engine_id{0};

std::size_t worker_count(const Config& config) {
    if (config.searchd.threads > 0) {
        return config.searchd.threads;
    }
    return std::max(1U, std::thread::hardware_concurrency());
}

/// Runs `fn` and turns every exception into an Error, so a worker always answers.
template <class T, class F>
Result<T> guarded(F&& fn) {
    try {
        return fn();
    } catch (const Xapian::DatabaseCorruptError& e) {
        logger("search")->error("index corrupt: {}", e.get_description());
        return Error(ErrorCode::not_ready, "the index cannot be read");
    } catch (const Xapian::DatabaseOpeningError& e) {
        logger("search")->error("index cannot be opened: {}", e.get_description());
        return Error(ErrorCode::not_ready, "the index cannot be opened");
    } catch (const Xapian::Error& e) {
        logger("search")->error("xapian error: {}", e.get_description());
        return Error(ErrorCode::internal, "internal error");
    } catch (const std::exception& e) {
        logger("search")->error("search failed: {}", e.what());
        return Error(ErrorCode::internal, "internal error");
    }
}

} // namespace

struct Engine::Impl {
    const Config& config;
    Analyzer analyzer;
    std::optional<Taxonomy> taxonomy;
    Synonyms synonyms;
    GenerationWatcher watcher;
    ResultCache cache;
    SuggestIndexCache suggest_index;
    FacetColumnsCache facet_columns;
    std::unique_ptr<SliceHelpers> slices; ///< created by start(); null when matches are never split
    std::unique_ptr<WorkerPool> pool;
    std::atomic<std::uint64_t> docs{0};
    /// Distinguishes engines in the per-thread Searcher table (addresses can be reused).
    const std::uint64_t id = next_engine_id.fetch_add(1) + 1;

    SearchEnv env() {
        return SearchEnv{&config, &analyzer, &watcher, taxonomy ? &*taxonomy : nullptr, &cache,
                         &synonyms, &facet_columns, slices.get()};
    }

    /// The calling thread's Searcher for this engine. A thread that outlives an engine keeps
    /// its stale entry (never used again: ids are not reused) until the thread ends.
    Searcher& thread_searcher() {
        thread_local std::vector<std::pair<std::uint64_t, std::unique_ptr<Searcher>>> searchers;
        for (auto& [engine, searcher] : searchers) {
            if (engine == id) {
                return *searcher;
            }
        }
        searchers.emplace_back(id, std::make_unique<Searcher>(env()));
        return *searchers.back().second;
    }

    explicit Impl(const Config& c)
        : config(c), analyzer(c.analysis), watcher(DataDir(c.data_dir), kPollInterval),
          cache(c.searchd.cache_entries) {
        if (!c.topics_file.empty()) {
            std::error_code ec;
            if (std::filesystem::exists(c.topics_file, ec)) {
                auto t = Taxonomy::load_file(c.topics_file, analyzer);
                if (!t) {
                    throw ErrorException(t.error());
                }
                taxonomy.emplace(std::move(*t));
            } else {
                logger("search")->warn("topics file {} not found; /topics lists indexed topics",
                                       c.topics_file);
            }
        }
        if (!c.searchd.synonyms_file.empty()) {
            auto s = Synonyms::load_file(c.searchd.synonyms_file);
            if (!s) {
                throw ErrorException(s.error());
            }
            synonyms = std::move(*s);
            logger("search")->info("synonyms: {} groups from {}", synonyms.size(),
                                   c.searchd.synonyms_file);
        }
    }

    /// After a swap: rebuild the /suggest completion index for the new generation on a worker,
    /// so that the first keystroke after the swap does not pay the build (240 ms at 100k).
    /// Only when autocomplete is in use (an index was built before): a server nobody asks
    /// for suggestions keeps no term list in memory. Skipped when the queue is full.
    void warm_caches() {
        if (!pool || suggest_index.builds() == 0) {
            return;
        }
        (void)pool->try_submit([this](Searcher& s) {
            try {
                auto warmed = s.with_generation({}, [&](const GenerationAccess& g) -> Result<void> {
                    (void)suggest_index.get(g.db, g.name);
                    return {};
                });
                if (!warmed) {
                    logger("search")->warn("suggest warm-up skipped: {}", warmed.error().message);
                }
            } catch (const std::exception& e) {
                logger("search")->warn("suggest warm-up failed: {}", e.what());
            }
        });
    }

    template <class T, class F>
    bool submit(Callback<T> done, F&& work) {
        if (!pool) {
            return false;
        }
        return pool->try_submit([this, done = std::move(done), work = std::forward<F>(work)](Searcher& s) {
            Result<T> r = guarded<T>([&] { return work(s); });
            docs.store(s.last_doc_count(), std::memory_order_relaxed);
            done(std::move(r));
        });
    }
};

Engine::Engine(const Config& config) : impl_(std::make_unique<Impl>(config)) {}

Engine::~Engine() { stop(); }

void Engine::start() {
    const std::size_t threads = worker_count(impl_->config);
    const std::size_t depth = impl_->config.limits.search_queue_depth > 0
                                  ? impl_->config.limits.search_queue_depth
                                  : 4 * threads;
    const unsigned cores = std::max(1U, std::thread::hardware_concurrency());
    if (impl_->config.searchd.parallel_min_docs > 0 && cores > 1) {
        // One helper: matches split in two. Beyond one match per core nothing is split.
        impl_->slices = std::make_unique<SliceHelpers>(
            1, cores, std::chrono::microseconds(4 * impl_->config.searchd.io_spin_us));
    }
    const SearchEnv env = impl_->env();
    impl_->pool = std::make_unique<WorkerPool>(threads, depth,
                                               [env] { return std::make_unique<Searcher>(env); });
    Impl* impl = impl_.get();
    impl_->watcher.set_on_change([impl] { impl->warm_caches(); });
    impl_->watcher.start();
    logger("search")->info("search workers={} queue_depth={}", threads, depth);
}

void Engine::stop() {
    if (impl_->pool) {
        impl_->pool->stop();
    }
    impl_->watcher.stop();
    impl_->facet_columns.stop();
    if (impl_->slices) {
        impl_->slices->stop();
    }
}

bool Engine::submit_search(SearchRequest request, Callback<SearchResult> done) {
    return impl_->submit<SearchResult>(std::move(done), [this, request = std::move(request)](Searcher& s) {
        impl_->cache.invalidate_on_swap(impl_->watcher.sequence());
        return s.search(request);
    });
}

Result<SearchResult> Engine::search_here(const SearchRequest& request) {
    return guarded<SearchResult>([&] {
        Searcher& s = impl_->thread_searcher();
        impl_->cache.invalidate_on_swap(impl_->watcher.sequence());
        Result<SearchResult> r = s.search(request);
        impl_->docs.store(s.last_doc_count(), std::memory_order_relaxed);
        return r;
    });
}

bool Engine::submit_article(std::string id, std::string generation, Callback<ArticleResult> done) {
    return impl_->submit<ArticleResult>(
        std::move(done), [id = std::move(id), generation = std::move(generation)](Searcher& s) {
            return s.article(id, generation);
        });
}

bool Engine::submit_stats(Callback<StatsResult> done) {
    return impl_->submit<StatsResult>(std::move(done), [](Searcher& s) { return s.stats(); });
}

bool Engine::submit_topics(Callback<std::vector<TopicCount>> done) {
    return impl_->submit<std::vector<TopicCount>>(std::move(done),
                                                  [](Searcher& s) { return s.topics(); });
}

bool Engine::submit_job(std::function<void(Searcher&)> job) {
    if (!impl_->pool) {
        return false;
    }
    return impl_->pool->try_submit([job = std::move(job)](Searcher& s) {
        try {
            job(s);
        } catch (const std::exception& e) {
            // Jobs answer their own errors; this only guards the worker.
            logger("search")->error("job failed: {}", e.what());
        }
    });
}

bool Engine::submit_suggest(SuggestRequest request, Callback<SuggestResult> done) {
    Impl* impl = impl_.get();
    return impl->submit<SuggestResult>(std::move(done), [impl, request = std::move(request)](Searcher& s) {
        Result<SuggestResult> out = Error(ErrorCode::internal, "suggest did not run");
        auto ran = s.with_generation({}, [&](const GenerationAccess& g) -> Result<void> {
            const Xapian::Stem stemmer = impl->analyzer.stemmer(impl->analyzer.query_language(request.q));
            out = run_suggest(g.db, g.name, request, &impl->suggest_index, stemmer);
            return {};
        });
        if (!ran) {
            return Result<SuggestResult>(ran.error());
        }
        return out;
    });
}

bool Engine::ready() const noexcept { return impl_->watcher.ready(); }

std::optional<std::string> Engine::live_generation() const { return impl_->watcher.live(); }

std::uint64_t Engine::doc_count() const noexcept {
    return impl_->docs.load(std::memory_order_relaxed);
}

std::size_t Engine::queue_depth() const { return impl_->pool ? impl_->pool->queued() : 0; }

std::size_t Engine::queue_capacity() const noexcept {
    return impl_->pool ? impl_->pool->capacity() : 0;
}

std::size_t Engine::busy_workers() const { return impl_->pool ? impl_->pool->busy() : 0; }

std::uint64_t Engine::cache_hits() const { return impl_->cache.hits(); }

std::uint64_t Engine::cache_misses() const { return impl_->cache.misses(); }

std::size_t Engine::cache_size() const { return impl_->cache.size(); }

std::uint64_t Engine::suggest_index_builds() const { return impl_->suggest_index.builds(); }

std::uint64_t Engine::sliced_matches() const { return impl_->slices ? impl_->slices->slices_run() : 0; }

void Engine::clear_caches() {
    impl_->cache.clear();
    impl_->suggest_index.clear();
}

} // namespace gazette::searchd
