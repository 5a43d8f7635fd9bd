#pragma once
/// A small LRU cache of search results shared by all workers. Keys include the generation
/// name and the database revision, so a commit or a swap never serves stale results.
/// Thread-safety: all methods lock; hold no reference across calls.

#include "searchd/search/types.hpp"

#include <atomic>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace gazette::searchd {

class ResultCache {
public:
    /// `capacity` 0 disables the cache.
    explicit ResultCache(std::size_t capacity) : capacity_(capacity) {}

    /// The cache key of a request against a generation at a revision.
    static std::string key(const SearchRequest& request, const std::string& generation,
                           std::uint64_t revision);

    /// False with capacity 0: callers skip building keys for a cache that stores nothing.
    bool enabled() const noexcept { return capacity_ > 0; }

    std::optional<SearchResult> get(const std::string& key);
    void put(const std::string& key, const SearchResult& result);

    std::uint64_t hits() const;
    /// Lookups that found nothing (the cache was enabled).
    std::uint64_t misses() const;
    std::size_t size() const;

    /// Drops every entry.
    void clear();
    /// Drops every entry when `sequence` (the generation watcher's swap counter) differs from
    /// the one last seen: after a swap, entries of the old live generation are dead weight.
    /// Cheap when nothing changed (one atomic load).
    void invalidate_on_swap(std::uint64_t sequence);

private:
    using Entry = std::pair<std::string, SearchResult>;
    std::size_t capacity_;
    mutable std::mutex mutex_;
    std::list<Entry> lru_; ///< most recent first
    std::unordered_map<std::string, std::list<Entry>::iterator> index_;
    std::uint64_t hits_ = 0;
    std::uint64_t misses_ = 0;
    std::atomic<std::uint64_t> sequence_{0};
};

} // namespace gazette::searchd
