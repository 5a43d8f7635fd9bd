#pragma once
/// Turns a SearchRequest into Xapian queries: the parsed `q` (with field prefixes, wildcards,
/// date:A..B ranges), boolean filters (OR within a field, AND across fields), the date filter,
/// and, for disjunctive facets, the same query without one field's filter.
/// Checks the query limits (length, nesting depth, term count) and reports errors with the
/// character position in `q` where it can be found.

#include "common/config.hpp"
#include "common/error.hpp"
#include "searchd/search/types.hpp"

#include <xapian.h>

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace gazette::searchd {

/// Sets the wildcard expansion limit on a parser made by Analyzer::make_query_parser (which
/// already knows every field prefix and the date:A..B range processor). Exceeding the limit
/// makes the match throw Xapian::WildcardError.
void configure_query_parser(Xapian::QueryParser& qp, const LimitsConfig& limits);

/// Cheap checks on the raw query before parsing: length in code points, nesting depth,
/// balanced parentheses and quotes, well-formed date ranges. Errors carry the position.
[[nodiscard]] Result<void> check_query_text(std::string_view q, const LimitsConfig& limits);

/// `q` with every word case-folded except Xapian's operators (AND, OR, NOT, XOR, NEAR[/n],
/// ADJ[/n]). Xapian's STEM_SOME leaves capitalised words unstemmed (a proper-noun guess), so
/// "Pipelines" matched only that exact form (16 articles of the sample against 82 for
/// "pipelines") and "Газопроводы" nothing; users expect case not to matter.
std::string fold_query_case(std::string_view q);

/// A query made only of `-clause`s ("-russia", `-"black sea" -title:ukraine`) as the same
/// clauses after NOT, which FLAG_PURE_NOT parses as "every article except". Xapian's parser
/// has no pure `-` query: it drops the sign and returns the articles the user excluded.
/// nullopt for any other query.
std::optional<std::string> pure_negation_as_not(std::string_view q);

/// Number of leaf terms and nesting depth of a query.
struct QueryShape {
    std::size_t terms = 0;
    std::size_t depth = 0;
};
QueryShape query_shape(const Xapian::Query& query);

/// Everything a search needs, built from a request.
struct QueryPlan {
    Xapian::Query text;     ///< the parsed `q`; MatchAll when `q` is empty
    Xapian::Query filtered; ///< text restricted by every filter
    std::optional<Xapian::Query> filter; ///< every filter AND-ed; nullopt when there is none
    /// For each facet field that has an active filter: text restricted by every filter but
    /// that field's (disjunctive facets).
    std::vector<std::pair<FacetField, Xapian::Query>> disjunctive;
    std::optional<std::string> corrected; ///< spelling correction of q, when the parser had one
    /// The terms of each synonym group q was expanded with (coordination counts a group as
    /// one clause); empty without synonyms.
    std::vector<std::set<std::string>> synonym_groups;
};

/// Builds the plan. `qp` must be configured (configure_query_parser) and have its database
/// set. `flags` are Analyzer::query_flags() (plus FLAG_SPELLING_CORRECTION when wanted).
/// Errors: bad_query (with position), too_complex, bad_request (bad dates).
[[nodiscard]] Result<QueryPlan> build_query_plan(Xapian::QueryParser& qp, const SearchRequest& request,
                                                 unsigned flags, const LimitsConfig& limits);

/// `text` restricted by the plan's filters (what `filtered` is for the parsed text); used to
/// restrict a rewritten text (coordination.hpp) the same way.
Xapian::Query restrict_to_filters(const QueryPlan& plan, const Xapian::Query& text);

/// The boolean filter query of one field ("topic", values OR-ed), or nullopt when no values.
std::optional<Xapian::Query> field_filter(FacetField field, const std::vector<std::string>& values);

/// The date filter from `from`/`to` ("YYYY-MM-DD"), or nullopt when both are empty.
std::optional<Xapian::Query> date_filter(const std::string& from, const std::string& to);

} // namespace gazette::searchd
