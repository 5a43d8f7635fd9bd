#pragma once
/// `explain=true`: which query terms matched each hit, in which field, and what each added
/// to the hit's BM25 score.
///
/// Each matching term is weighted on its own with the same weighting scheme and the same
/// within-query frequency (wqf); BM25 is a sum over terms, so the contributions add up to
/// the hit's score, except where Xapian combines several terms into one (OP_SYNONYM, which
/// wildcards expand to): those terms are weighted separately and the sum is approximate.
/// Boolean filter terms (topic:, lang:, tag:, id) match with weight 0.

#include "searchd/search/coordination.hpp"
#include "searchd/search/types.hpp"

#include <xapian.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace gazette::searchd {

/// The field a term belongs to by its prefix: "title", "author", "source", "text"
/// (unprefixed/stemmed words of title and body), or the boolean field ("topic", ...).
const char* term_field(std::string_view term) noexcept;

/// Whether a term is a free-text (weighted) term rather than a boolean filter term.
bool is_weighted_term(std::string_view term) noexcept;

/// Fills hits[i].explanation for hits[i] = document docids[i]. `query` is the parsed q (for
/// wqf), `enquire` one whose query has every term of it (for matching terms). Terms in
/// `feedback_scale` are pseudo-relevance feedback terms: field "feedback", weight scaled.
/// With `coordinated` (a bonus per matched clause, coordination.hpp), each hit also gets a
/// "coordination" entry: the clauses it matched times the bonus.
void explain_hits(const Xapian::Database& db, const Xapian::Query& query, const Xapian::Enquire& enquire,
                  const std::vector<Xapian::docid>& docids, std::vector<Hit>& hits,
                  const std::map<std::string, double>* feedback_scale = nullptr,
                  const CoordinatedQuery* coordinated = nullptr);

} // namespace gazette::searchd
