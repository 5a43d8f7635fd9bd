#pragma once
/// The completion index behind /suggest: every plain (unprefixed) term of a generation that
/// occurs in at least two articles, with its article count, sorted by term.
///
/// Plain C++ data built once per generation from `Xapian::Database::allterms_begin()`, then
/// shared read-only by every worker (Xapian objects are not: their reference counts are not
/// thread-safe). Lookups binary-search the sorted vector for a prefix's range; the top
/// completions of every 1 to 3 byte prefix, whose ranges are the largest, are precomputed.
/// Typo tolerance walks the sorted terms as an implicit trie with a banded edit-distance
/// row per depth, skipping every subtree whose row already exceeds the allowed distance.
///
/// Thread-safety: const methods may be called concurrently.

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace Xapian {
class Database;
}

namespace gazette::searchd {

struct TermCount {
    std::string term;
    std::uint32_t count = 0; ///< articles containing the term
};

class SuggestIndex {
public:
    /// Terms longer than this (bytes) are not offered (URLs, hashes, glued words).
    static constexpr std::size_t kMaxTermBytes = 40;
    /// Completions kept per short prefix; limits above this fall back to a range scan.
    static constexpr std::size_t kTopPerPrefix = 20;
    static constexpr std::size_t kPrecomputedPrefixBytes = 3;

    SuggestIndex() = default;

    /// Builds from a database: terms with no capital first letter (prefixed terms are
    /// skipped), termfreq >= `min_count`, not only digits, at most kMaxTermBytes.
    static SuggestIndex build(const Xapian::Database& db, std::uint32_t min_count = 2);

    /// Builds from a term list (any order; duplicate terms keep the largest count).
    static SuggestIndex from_terms(std::vector<TermCount> terms);

    /// The `limit` most frequent terms starting with `prefix` (count desc, then term asc).
    std::vector<TermCount> complete(std::string_view prefix, std::size_t limit) const;

    /// Terms having a prefix within `max_distance` edits (insert, delete, substitute, bytes)
    /// of `word`: the typed word is a misspelled start of the term. The first character must
    /// match as typed. Best first (distance,
    /// then count desc); at most `limit`; terms starting exactly with `word` are excluded
    /// (complete() gives those). At most `max_visits` terms are examined.
    std::vector<TermCount> fuzzy_complete(std::string_view word, unsigned max_distance,
                                          std::size_t limit, std::size_t max_visits = 20000) const;

    /// Article count of an exact term (0 when absent).
    std::uint32_t count(std::string_view term) const;

    std::size_t size() const noexcept { return terms_.size(); }

private:
    using Range = std::pair<std::size_t, std::size_t>; ///< [first, last) into terms_
    Range range(std::string_view prefix) const;
    void precompute();

    std::vector<TermCount> terms_; ///< sorted by term
    /// Indexes into terms_ of the top completions of each 1..3 byte prefix.
    std::unordered_map<std::string, std::vector<std::uint32_t>> top_;
};

} // namespace gazette::searchd
