#pragma once
/// Column store of facet values, one per (generation, revision): for every document and facet
/// field, small integer codes of its values. Exact facet counting then costs an array
/// increment per matching document and field instead of a Document::get_value() B-tree lookup
/// (about 250 ns each), which made facets 20x the cost of the query they count.
///
/// Built in the background from Xapian value streams (sequential reads) on a Database of its
/// own; plain C++ data, immutable once built, so all workers share it. While the columns for a
/// worker's exact revision are not ready (after a commit or a swap), counting falls back to
/// get_value and stays exact: correctness never waits for the cache.

#include "searchd/search/match_set.hpp"
#include "searchd/search/types.hpp"

#include <xapian.h>

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace gazette::searchd {

/// The number an eight-digit string spells ("20240516" -> 20240516), 0 for anything else (so
/// numeric order is the string order Xapian compares values in).
std::uint32_t eight_digits(std::string_view s) noexcept;

class FacetColumns {
public:
    /// Reads every facet slot of `db` (which the caller owns for the duration).
    static std::shared_ptr<const FacetColumns> build(const Xapian::Database& db, std::string generation);

    /// Value codes of `field` for `docid` (empty when the document has none or is unknown).
    std::span<const std::uint32_t> codes(FacetField field, Xapian::docid docid) const noexcept {
        const Column& c = columns_[static_cast<std::size_t>(field)];
        if (docid + 1 >= c.offsets.size()) {
            return {};
        }
        return {c.codes.data() + c.offsets[docid], c.offsets[docid + 1] - c.offsets[docid]};
    }
    /// Adds to counts[code] the documents of `set` having each value of `field` (a document
    /// with several values counts once for each). `counts` has value_count(field) entries.
    /// This is the hot loop of exact facets (one call per field and request).
    void count(FacetField field, const DocSet& set, std::span<std::uint64_t> counts) const;
    /// The value a code stands for.
    const std::string& value(FacetField field, std::uint32_t code) const {
        return columns_[static_cast<std::size_t>(field)].values[code];
    }
    std::size_t value_count(FacetField field) const noexcept {
        return columns_[static_cast<std::size_t>(field)].values.size();
    }
    /// The date slot (schema::kSlotDate, "YYYYMMDD") as numbers by docid, 0 when undated, so
    /// that date filters can be evaluated without the matcher (MatchSetEvaluator). Empty when
    /// some stored date is not exactly eight digits (then date filters use the matcher).
    std::span<const std::uint32_t> dates() const noexcept { return dates_; }
    const std::string& generation() const noexcept { return generation_; }
    Xapian::rev revision() const noexcept { return revision_; }

private:
    /// Compressed rows: the codes of document d are codes[offsets[d] .. offsets[d+1]).
    struct Column {
        std::vector<std::string> values;
        std::vector<std::uint32_t> offsets;
        std::vector<std::uint32_t> codes;
        /// Single-valued fields only: code + 1 per docid, 0 for none (one load per document
        /// instead of two offsets and a code).
        std::vector<std::uint32_t> dense;
        /// Fields with at most kBitmapValues values: per value, the bitmap of its documents
        /// (DocSet layout). A large match set is then counted with AND + popcount per value,
        /// branch-free, instead of a row lookup per document.
        std::vector<std::vector<std::uint64_t>> bitmaps;
    };
    static constexpr std::size_t kBitmapValues = 128;
    std::array<Column, 7> columns_;
    std::vector<std::uint32_t> dates_;
    std::string generation_;
    Xapian::rev revision_ = 0;
};

/// Shares the newest columns between workers and rebuilds them on a background thread when a
/// worker sees a generation or revision they do not match. Thread-safe.
class FacetColumnsCache {
public:
    FacetColumnsCache();
    ~FacetColumnsCache();
    FacetColumnsCache(const FacetColumnsCache&) = delete;
    FacetColumnsCache& operator=(const FacetColumnsCache&) = delete;

    /// Columns exactly matching (generation, revision), or null; in that case a rebuild from
    /// `path` (the generation's database) is requested and the caller counts without them.
    std::shared_ptr<const FacetColumns> get(const std::string& generation, Xapian::rev revision,
                                            const std::filesystem::path& path);
    /// Waits for a build in progress and ends the background thread; later get() calls only
    /// queue requests nobody serves. Idempotent. Called before logging shuts down, because a
    /// build logs when it finishes.
    void stop();

    /// Builds completed so far (for tests and metrics).
    std::uint64_t builds() const;

    /// Whether counting with these columns may compute the match set from posting lists
    /// (FacetSpy::count_matches) instead of running the matcher. On by default; benchmarks
    /// and tests turn it off to compare both paths in one process.
    void set_match_sets(bool on) noexcept { match_sets_.store(on, std::memory_order_relaxed); }
    bool match_sets() const noexcept { return match_sets_.load(std::memory_order_relaxed); }

private:
    void run();

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::shared_ptr<const FacetColumns> current_;
    std::string wanted_generation_;
    std::filesystem::path wanted_path_;
    bool pending_ = false;
    bool stop_ = false;
    std::uint64_t builds_ = 0;
    std::atomic<bool> match_sets_{true};
    std::thread thread_;
};

} // namespace gazette::searchd
