#pragma once
/// /suggest: as-you-type completions of the last word and matching article titles.
///
/// Completions come from the generation's SuggestIndex (built once per generation and shared
/// by the workers through SuggestIndexCache); the earlier words of the query are kept as the
/// completion's prefix. A last word of five letters or more that has few prefix completions
/// also gets fuzzy ones (one edit for 5-7 letters, two for 8 or more; "few" is fewer than 3,
/// first letter as typed). Titles are the best
/// matches among article titles of the earlier words AND any completion of the last word
/// (title terms only, so the postings are short and the lookup stays well under a
/// millisecond), HTML-escaped with <mark> around the matched parts.

#include "common/error.hpp"
#include "searchd/search/suggest_index.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace Xapian {
class Database;
class Stem;
} // namespace Xapian

namespace gazette::searchd {

struct SuggestRequest {
    std::string q;
    std::size_t limit = 8;        ///< completions
    std::size_t title_limit = 5;  ///< titles
};

struct SuggestCompletion {
    std::string text;        ///< earlier words + " " + completed last word
    std::uint64_t count = 0; ///< articles containing the completed word
    bool fuzzy = false;      ///< a typo-tolerant match rather than a prefix match
};

struct SuggestTitle {
    std::string id;
    std::string title; ///< HTML-escaped, <mark> around matched parts
    std::string url;
};

struct SuggestResult {
    std::string q;
    std::vector<SuggestCompletion> completions;
    std::vector<SuggestTitle> titles;
    std::string generation;
    double took_ms = 0;
};

/// Holds the SuggestIndex of the live generation for every worker.
/// A new generation is built by the first worker that needs it (the others wait for it);
/// commits to the same generation (near-real-time ingest) refresh it at most every
/// `refresh` by one worker while the others keep using the previous build.
/// Thread-safety: all methods may be called from any thread.
class SuggestIndexCache {
public:
    explicit SuggestIndexCache(std::chrono::seconds refresh = std::chrono::seconds(30))
        : refresh_(refresh) {}

    /// The index for `generation` as seen by `db` (the caller's own handle).
    std::shared_ptr<const SuggestIndex> get(const Xapian::Database& db, const std::string& generation);

    /// Drops the current index (the next get() rebuilds).
    void clear();

    /// Builds so far (for metrics and tests).
    std::uint64_t builds() const;
    /// Time the last build took, in milliseconds.
    double last_build_ms() const;

private:
    using Clock = std::chrono::steady_clock;
    std::chrono::seconds refresh_;
    mutable std::mutex mutex_; ///< guards the fields below
    std::shared_ptr<const SuggestIndex> index_;
    std::string generation_;
    std::uint64_t revision_ = 0;
    Clock::time_point built_{};
    std::uint64_t builds_ = 0;
    double last_build_ms_ = 0;
    std::mutex build_mutex_; ///< one build at a time
};

/// Edits allowed for a last word of `chars` code points: 0 below 5, 1 for 5-7, 2 for 8+.
unsigned suggest_max_distance(std::size_t chars) noexcept;

/// Wraps in <mark> the parts of `title` matching: words equal to one of `words` (folded),
/// words equal to one of `completed` (folded), and the leading `prefix` (folded) of words
/// starting with it. Everything else is HTML-escaped.
std::string highlight_title(std::string_view title, const std::vector<std::string>& words,
                            const std::vector<std::string>& completed, std::string_view prefix);

/// Runs a suggestion against `db` (the caller's handle on `generation`). `cache` may be null
/// (then a throwaway index is built: tests only). `stemmer` stems the earlier words.
[[nodiscard]] Result<SuggestResult> run_suggest(const Xapian::Database& db, const std::string& generation,
                                                const SuggestRequest& request, SuggestIndexCache* cache,
                                                const Xapian::Stem& stemmer);

} // namespace gazette::searchd
