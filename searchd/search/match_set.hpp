#pragma once
/// The exact set of documents a query matches, computed by walking posting lists into a docid
/// bitmap instead of running Xapian's matcher. Exact facet counts need every match; asking
/// Enquire for them costs a MatchSpy virtual call, a Document handle and the matcher's
/// bookkeeping per document (about 4x the ranked top-k query at 100k articles), while a bitmap
/// costs one posting-list step per posting plus word-wide AND/OR/AND_NOT.
///
/// Only purely boolean shapes are evaluated: terms, MatchAll/MatchNothing, AND, OR, AND_NOT,
/// XOR, AND_MAYBE (its left side), FILTER, SYNONYM, MAX and SCALE_WEIGHT, plus date filters
/// (VALUE_RANGE/GE/LE on schema::kSlotDate with eight-digit bounds) when FacetColumns with a
/// date column are given. Anything whose matching depends on positions, other values, weights
/// or lazy expansion (PHRASE, NEAR, ELITE_SET, WILDCARD, posting sources) makes evaluate()
/// return nullopt, and the caller counts with the matcher instead. The set is then identical
/// to what Enquire::get_mset(0, 0, doccount) enumerates: boolean operators do not depend on
/// weights.

#include <xapian.h>

#include <bit>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <unordered_map>
#include <vector>

namespace gazette::searchd {

class FacetColumns;

/// A set of docids in [1, last] as a bitmap (bit d = docid d).
class DocSet {
public:
    DocSet() = default;
    explicit DocSet(Xapian::docid last) : last_(last), words_(static_cast<std::size_t>(last) / 64 + 1, 0) {}

    Xapian::docid last() const noexcept { return last_; }
    void add(Xapian::docid d) noexcept { words_[d >> 6] |= std::uint64_t{1} << (d & 63); }
    bool contains(Xapian::docid d) const noexcept {
        return d <= last_ && d > 0 && ((words_[d >> 6] >> (d & 63)) & 1U) != 0;
    }
    /// Every docid in [1, last].
    void fill() noexcept;
    void unite(const DocSet& o) noexcept;
    void intersect(const DocSet& o) noexcept;
    void subtract(const DocSet& o) noexcept;
    /// Symmetric difference.
    void exclusive(const DocSet& o) noexcept;
    std::uint64_t count() const noexcept;
    /// The bitmap: bit (d & 63) of word d / 64 is docid d.
    const std::vector<std::uint64_t>& words() const noexcept { return words_; }

    /// Calls f(docid) for every member, ascending.
    template <class F>
    void for_each(F&& f) const {
        for (std::size_t i = 0; i < words_.size(); ++i) {
            std::uint64_t w = words_[i];
            while (w != 0) {
                const auto bit = static_cast<unsigned>(std::countr_zero(w));
                f(static_cast<Xapian::docid>(i * 64 + bit));
                w &= w - 1;
            }
        }
    }

private:
    Xapian::docid last_ = 0;
    std::vector<std::uint64_t> words_;
};

/// Evaluates queries against one Database. Sub-queries shared between calls (the text query
/// inside every disjunctive-facet variant, a filter repeated in each) are evaluated once:
/// results are remembered by query node for the evaluator's life, so use one evaluator per
/// request and database revision. Not thread-safe.
class MatchSetEvaluator {
public:
    /// `columns` (may be null: no date filters) must be built from `db` at its revision.
    explicit MatchSetEvaluator(const Xapian::Database& db, const FacetColumns* columns = nullptr);

    /// The documents `query` matches, or nullopt when its shape is not handled (see above).
    /// Throws what Xapian throws (DatabaseModifiedError included).
    std::optional<DocSet> evaluate(const Xapian::Query& query);

    /// Whether evaluate() handles this query's shape (no I/O).
    bool supported(const Xapian::Query& query) const;

private:
    DocSet eval(const Xapian::Query& query);
    DocSet term_set(const std::string& term);

    const Xapian::Database& db_;
    const FacetColumns* columns_;
    Xapian::docid last_;
    /// By query node; the Query copy keeps the node alive so its address is never reused.
    std::unordered_map<const void*, std::pair<Xapian::Query, DocSet>> memo_;
};

} // namespace gazette::searchd
