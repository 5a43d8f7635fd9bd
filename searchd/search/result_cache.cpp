#include "searchd/search/result_cache.hpp"

#include <algorithm>

namespace gazette::searchd {
namespace {

void append_field(std::string& out, std::string_view s) {
    // Length-prefixed, so no value can fake a field boundary.
    out += std::to_string(s.size());
    out.push_back(':');
    out += s;
}

void append_list(std::string& out, std::vector<std::string> values) {
    std::sort(values.begin(), values.end()); // OR within a field: order does not matter
    out += std::to_string(values.size());
    out.push_back('[');
    for (const auto& v : values) {
        append_field(out, v);
    }
}

} // namespace

std::string ResultCache::key(const SearchRequest& r, const std::string& generation,
                             std::uint64_t revision) {
    std::string k;
    append_field(k, generation);
    k += std::to_string(revision);
    k.push_back('|');
    append_field(k, r.q);
    k += std::to_string(static_cast<int>(r.op)) + "|" + std::to_string(r.limit) + "|" +
         std::to_string(r.offset) + "|" + std::to_string(static_cast<int>(r.sort)) + "|" +
         std::to_string(r.snippet_chars) + "|" + std::to_string(r.facet_size) + "|" +
         (r.explain ? "e" : "-") + (r.feedback ? "f" : "-") + "|";
    append_list(k, r.filters.topic);
    append_list(k, r.filters.source);
    append_list(k, r.filters.author);
    append_list(k, r.filters.lang);
    append_list(k, r.filters.tag);
    append_field(k, r.filters.from);
    append_field(k, r.filters.to);
    for (const FacetField f : r.facets) {
        k += std::to_string(static_cast<int>(f));
    }
    k.push_back('|');
    append_field(k, r.cursor);
    return k;
}

std::optional<SearchResult> ResultCache::get(const std::string& key) {
    if (capacity_ == 0) {
        return std::nullopt;
    }
    std::lock_guard lock(mutex_);
    auto it = index_.find(key);
    if (it == index_.end()) {
        ++misses_;
        return std::nullopt;
    }
    lru_.splice(lru_.begin(), lru_, it->second);
    ++hits_;
    return it->second->second;
}

void ResultCache::put(const std::string& key, const SearchResult& result) {
    if (capacity_ == 0) {
        return;
    }
    std::lock_guard lock(mutex_);
    if (auto it = index_.find(key); it != index_.end()) {
        it->second->second = result;
        lru_.splice(lru_.begin(), lru_, it->second);
        return;
    }
    lru_.emplace_front(key, result);
    index_[key] = lru_.begin();
    while (lru_.size() > capacity_) {
        index_.erase(lru_.back().first);
        lru_.pop_back();
    }
}

std::uint64_t ResultCache::hits() const {
    std::lock_guard lock(mutex_);
    return hits_;
}

std::uint64_t ResultCache::misses() const {
    std::lock_guard lock(mutex_);
    return misses_;
}

void ResultCache::clear() {
    std::lock_guard lock(mutex_);
    lru_.clear();
    index_.clear();
}

void ResultCache::invalidate_on_swap(std::uint64_t sequence) {
    if (sequence_.load(std::memory_order_acquire) == sequence) {
        return;
    }
    std::lock_guard lock(mutex_);
    if (sequence_.exchange(sequence, std::memory_order_acq_rel) != sequence) {
        lru_.clear();
        index_.clear();
    }
}

std::size_t ResultCache::size() const {
    std::lock_guard lock(mutex_);
    return lru_.size();
}

} // namespace gazette::searchd
