#pragma once
/// Pseudo-relevance feedback (opt-in: `feedback=true` on /search; bench/relevance measured
/// no average nDCG@10 gain over plain BM25 on the judged collections, see its README):
/// the top `top_docs` hits of the query are taken as relevant, their most
/// distinctive stemmed words (Enquire::get_eset, query terms excluded) are added with a
/// reduced weight through OP_AND_MAYBE, so they only re-rank documents that already match:
/// the hit set, totals, facets and cursors are those of the query as written.

#include <xapian.h>

#include <map>
#include <optional>
#include <string>

namespace gazette::searchd {

struct FeedbackOptions {
    Xapian::doccount top_docs = 10;  ///< pseudo-relevant documents
    Xapian::doccount min_docs = 3;   ///< fewer hits than this: no feedback
    Xapian::termcount terms = 10;    ///< expansion terms
    double weight = 0.25;            ///< scale of the expansion terms' BM25 weights
};

/// The expanded query for relevance ranking, or nullopt when feedback does not apply (too few
/// hits, no useful terms). `filtered` is the full query (text and filters), `text` the parsed
/// q. `scale` receives each expansion term's weight factor (for explain).
std::optional<Xapian::Query> feedback_query(const Xapian::Database& db, const Xapian::Query& filtered,
                                            const Xapian::Query& text, const FeedbackOptions& options,
                                            std::map<std::string, double>* scale = nullptr);

} // namespace gazette::searchd
