#pragma once
/// Coordination: with the default operator `or`, articles matching more of the query's words
/// rank first (SPEC, `/search` `op`). BM25 alone does not guarantee it: one rare word many
/// times in a short article can outscore two words once each (9% of two-word result pages
/// at 100k articles had such an inversion before this).
///
/// How, two ways that rank identically:
/// - The bonus query: each clause of the query's top-level OR (a word, a phrase, a synonym
///   group, a wildcard) gets a constant bonus when it matches, through Xapian's built-in
///   FixedWeightPostingSource: OR(w1, w2) becomes OR(AND(w1, F), AND(w2, F)) with F weighing
///   `bonus`. The bonus is a power of ten above the most BM25 the clauses can add together, so
///   a score is `bonus` x (clauses matched) + BM25, and BM25 orders articles within a count.
///   It is the ranking's definition: the tests check the tiers against it, and nothing
///   runs it at serving time. It would need check_at_least = all matches:
///   Xapian 1.4's early exit drops documents from such queries (on the test corpus,
///   `pipeline OR sanctions OR goal`, top 3, check_at_least 4 misses an article weighing 200.5
///   and returns one weighing 104.4 instead; SearchSuite.CoordinatedPagesAreSlicesOfTheFullRanking),
///   and without early exit it costs 4-5x the plain OR.
/// - Tiers (`match_tiers`; /search, explain, feedback and export): one plain query per matched-clause count, best
///   first (every clause; then exactly n - 1, as "at least n - 1" AND_NOT "all"; ...), each a
///   BM25 top-k with the usual early exit, until the page is full. Most pages come from the
///   first tier, an AND, which is cheaper than the OR it replaces: two-word queries at 10k
///   articles cost 148 us against 193 us for the plain OR (bench/README.md, Session 5).
/// Only built-in Xapian classes are used, so every query serialises to docid slices and to
/// remote shards (xapian-tcpsrv) unchanged.
///
/// Long queries (more than [searchd] coordination_max_words clauses) keep plain BM25: on the
/// judged collections in bench/relevance (natural-language queries of ~10 words), strict
/// coordination cost 19% nDCG@10, while up to four words it costs 0.25% (bench/relevance).
///
/// Only the ranked match uses the rewritten query; facet counts, totals and snippets use the
/// parsed query (same matching set).

#include "searchd/search/query_builder.hpp"
#include "searchd/search/slice_match.hpp"
#include "searchd/search/types.hpp"

#include <xapian.h>

#include <cstddef>
#include <set>
#include <string>
#include <vector>

namespace gazette::searchd {

/// More clauses than this are never coordinated: the tiers enumerate clause subsets.
inline constexpr std::size_t kMaxCoordinatedClauses = 6;

struct CoordinatedQuery {
    /// The text split by matched clauses, in rank order: tiers[0] requires every clause,
    /// tiers[t] exactly clauses - t of them (an AND_MAYBE adds a last tier with none). Plain
    /// BM25 weights; a tier's weights plus (clauses - t) x bonus are the bonus query's.
    std::vector<Xapian::Query> tiers;
    double bonus = 0;      ///< weight per matched clause; 0 = not rewritten
    std::size_t clauses = 0;

    /// What the bonus adds to the weight of an article matching every clause.
    double all_clauses_bonus() const noexcept { return bonus * static_cast<double>(clauses); }
};

/// Rewrites the outermost OR of `text` (looking through AND_NOT / FILTER left sides and the
/// optional side of AND_MAYBE) when it has at least two clauses. `doccount` is the size of
/// the database the query runs on (BM25's idf bound depends on it).
/// `synonym_groups` (QueryPlan::synonym_groups): clauses whose terms all belong to one group
/// count as one clause.
CoordinatedQuery coordinate(const Xapian::Query& text, Xapian::doccount doccount,
                            std::size_t max_clauses = SIZE_MAX,
                            const std::vector<std::set<std::string>>* synonym_groups = nullptr);

/// The bonus form of the same rewrite (the ranking's definition; the tests check the tiers
/// against it, nothing serves it); `text` when nothing is rewritten.
Xapian::Query bonus_query(const Xapian::Query& text, Xapian::doccount doccount,
                          std::size_t max_clauses = SIZE_MAX,
                          const std::vector<std::set<std::string>>* synonym_groups = nullptr);

/// The terms of each synonym group Synonyms::expand put into a query (`applied`), parsed like
/// the query, for QueryPlan::synonym_groups.
std::vector<std::set<std::string>> synonym_term_groups(Xapian::QueryParser& qp, unsigned flags,
                                                       const std::vector<std::string>& applied);

/// The text a ranked match of `request` runs: coordinated when the order is relevance (date
/// order has no use for weights) and the OR has at most `max_clauses` clauses ([searchd]
/// coordination_max_words; 0 = never).
CoordinatedQuery ranked_text(const QueryPlan& plan, const SearchRequest& request, std::size_t max_clauses,
                             Xapian::doccount doccount);

/// The coordinated page [offset, offset + limit) from the tiers, best tier first, each ranked
/// by BM25 with early termination (plain Xapian queries, so the early exit is safe); stops at
/// the first tier that completes the window, which for most queries is the first. `enquire`
/// must have Gazette's weighting; `first_mset` receives the first tier's MSet (whole-database
/// term statistics).
/// `reweight` (pseudo-relevance feedback's expansion) is added to every tier through
/// OP_AND_MAYBE: it re-ranks within a tier and never moves an article across tiers.
SliceResult match_tiers(Xapian::Enquire& enquire, const CoordinatedQuery& coordinated, const QueryPlan& plan,
                        std::size_t offset, std::size_t limit, Xapian::MSet& first_mset,
                        const Xapian::Query* reweight = nullptr);

/// The most BM25 weight (Gazette's parameters, any wqf) the leaf terms of `query` can add to
/// one article's score in a database of `doccount` articles.
double bm25_weight_bound(const Xapian::Query& query, Xapian::doccount doccount);

} // namespace gazette::searchd
