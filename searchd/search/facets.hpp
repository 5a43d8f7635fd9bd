#pragma once
/// Exact facet counting with a Xapian::MatchSpy that understands our multi-valued slots
/// (topics, authors, tags joined by schema::kMultiSep). For exact counts the match must see
/// every matching document: call get_mset with checkatleast = db.get_doccount().

#include "searchd/search/facet_columns.hpp"
#include "searchd/search/match_set.hpp"
#include "searchd/search/types.hpp"

#include <xapian.h>

#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace gazette::searchd {

/// Value slot a facet field is counted from.
Xapian::valueno facet_slot(FacetField field) noexcept;
/// Whether the slot holds several values joined by schema::kMultiSep.
bool facet_multi_valued(FacetField field) noexcept;

class FacetSpy : public Xapian::MatchSpy {
public:
    explicit FacetSpy(std::vector<FacetField> fields);

    void operator()(const Xapian::Document& doc, double wt) override;

    /// Counts from these columns (which must match the database being searched exactly)
    /// instead of reading each document's values. Call before the match.
    void use_columns(std::shared_ptr<const FacetColumns> columns);

    /// Counts the documents `query` matches without running the matcher: the match set comes
    /// from `evaluator` (posting lists into a bitmap) and each member costs an array increment
    /// per field. Returns the number of matches, or nullopt (nothing counted) when there are
    /// no columns or the query's shape needs the matcher (see match_set.hpp); the caller then
    /// runs the match with this spy. The evaluator must be on the database the columns were
    /// built from, at the same revision.
    std::optional<std::uint64_t> count_matches(MatchSetEvaluator& evaluator, const Xapian::Query& query);

    /// Counts of one field (must be one of the constructor's), sorted by count desc then
    /// value asc, truncated to `size`. Empty values are not counted.
    std::vector<FacetCount> top(FacetField field, std::size_t size) const;

    /// Documents seen by the spy.
    std::uint64_t seen() const noexcept { return seen_; }

private:
    std::vector<FacetField> fields_;
    std::array<std::unordered_map<std::string, std::uint64_t>, 7> counts_;
    std::shared_ptr<const FacetColumns> columns_;
    std::array<std::vector<std::uint64_t>, 7> code_counts_; ///< by value code, with columns_
    std::uint64_t seen_ = 0;
};

} // namespace gazette::searchd
