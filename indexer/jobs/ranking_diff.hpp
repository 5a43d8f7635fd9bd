#pragma once
/// Ranking diff between two generations: for each sample query, how much the top hits of the
/// candidate generation differ from the live one. reindex refuses to swap when the mean
/// disagreement exceeds indexer.reindex_max_diff, which catches a broken analyzer or schema
/// change before users see it.

#include "common/analyzer.hpp"

#include <xapian.h>

#include <string>
#include <vector>

namespace gazette::indexer {

struct QueryDiff {
    std::string query;
    std::vector<std::string> live_top;      ///< article ids, best first
    std::vector<std::string> candidate_top; ///< article ids, best first
    std::vector<std::string> gained;        ///< in the candidate's top, not in live's
    std::vector<std::string> lost;          ///< in live's top, not in the candidate's
    double overlap = 1.0;                   ///< |common| / max(|live|, |candidate|); 1 when both empty
    double disagreement() const noexcept { return 1.0 - overlap; }
    std::string error;                      ///< query failed to parse on either side
};

struct RankingDiff {
    std::vector<QueryDiff> queries;
    double mean_disagreement = 0.0; ///< over the queries (0 when there are none)
};

/// Compares two top lists (ids, best first). Order within the lists does not count: a
/// reordered top-k agrees fully.
QueryDiff diff_top(std::string query, std::vector<std::string> live_top, std::vector<std::string> candidate_top);

/// Ids of the top `k` hits of `query` in `db`, parsed exactly as searchd parses plain queries
/// (Analyzer query parser and flags). Throws Xapian::QueryParserError for a bad query.
std::vector<std::string> top_ids(const Xapian::Database& db, const Analyzer& analyzer, const std::string& query,
                                 Xapian::doccount k);

/// Runs every query against both databases and diffs the top `k`.
RankingDiff compare_rankings(const Xapian::Database& live, const Xapian::Database& candidate,
                             const Analyzer& analyzer, const std::vector<std::string>& queries,
                             Xapian::doccount k = 10);

} // namespace gazette::indexer
