#pragma once
/// Coordination: with the default operator `or`, articles matching more of the query's words
/// rank first (SPEC, `/search` `op`). BM25 alone does not guarantee it: one rare word many
/// times in a short article can outscore two words once each (9% of two-word result pages
/// at 100k articles had such an inversion before this).
///
/// How: each clause of the query's top-level OR (a word, a phrase, a synonym group, a
/// wildcard) gets a constant bonus when it matches, through Xapian's built-in
/// FixedWeightPostingSource: OR(w1, w2) becomes OR(AND(w1, F), AND(w2, F)) with F weighing
/// `bonus`. The bonus is a power of ten above the most BM25 the clauses can add together, so
/// a score is `bonus` x (clauses matched) + BM25, and BM25 orders articles within a count.
/// Searches run `all` (every clause required) first: when it fills the page, that page is the
/// coordinated one, bought with an AND (at 100k articles, two-word queries: 0.98 ms against
/// 1.28 ms for the plain OR); only when fewer articles match every clause does the bonus query
/// run. Only built-in Xapian classes are used, so both queries serialise to docid slices and to
/// remote shards (xapian-tcpsrv) unchanged.
///
/// The bonus query must run with check_at_least = all matches. Xapian 1.4's early exit (the
/// matcher stops once it has check_at_least matches and its recalculated maximum weight
/// falls below the page's minimum) drops documents from such queries: on the test corpus,
/// `pipeline OR sanctions OR goal`, top 3, check_at_least 4 misses an article weighing 200.5
/// and returns one weighing 104.4 instead; with check_at_least 100 the page is right
/// (SearchSuite.CoordinatedPagesAreSlicesOfTheFullRanking).
///
/// Long queries (more than [searchd] coordination_max_words clauses) keep plain BM25: on the
/// judged collections in bench/relevance (natural-language queries of ~10 words), strict
/// coordination cost 19% nDCG@10, while up to four words it costs 0.25% (bench/relevance).
///
/// Only the ranked match uses the rewritten query; facet counts, totals and snippets use the
/// parsed query (same matching set).

#include "searchd/search/query_builder.hpp"
#include "searchd/search/types.hpp"

#include <xapian.h>

namespace gazette::searchd {

struct CoordinatedQuery {
    Xapian::Query query;   ///< the rewritten query (or the input when nothing was rewritten)
    /// The same text with every clause required (plain BM25 weights). Its ranking is the
    /// coordinated ranking's top tier: when it has a full window of matches, its page is the
    /// coordinated page, found at the cost of an AND (cheaper than the OR it replaces).
    Xapian::Query all;
    double bonus = 0;      ///< weight per matched clause; 0 = not rewritten
    std::size_t clauses = 0;

    /// What the bonus adds to the weight of an article matching every clause.
    double all_clauses_bonus() const noexcept { return bonus * static_cast<double>(clauses); }
};

/// Rewrites the outermost OR of `text` (looking through AND_NOT / FILTER left sides and the
/// optional side of AND_MAYBE) when it has at least two clauses. `doccount` is the size of
/// the database the query runs on (BM25's idf bound depends on it).
CoordinatedQuery coordinate(const Xapian::Query& text, Xapian::doccount doccount,
                            std::size_t max_clauses = SIZE_MAX);

/// The text a ranked match of `request` runs: coordinated when the order is relevance (date
/// order has no use for weights) and the OR has at most `max_clauses` clauses ([searchd]
/// coordination_max_words; 0 = never).
CoordinatedQuery ranked_text(const QueryPlan& plan, const SearchRequest& request, std::size_t max_clauses,
                             Xapian::doccount doccount);

/// The most BM25 weight (Gazette's parameters, any wqf) the leaf terms of `query` can add to
/// one article's score in a database of `doccount` articles.
double bm25_weight_bound(const Xapian::Query& query, Xapian::doccount doccount);

} // namespace gazette::searchd
