#pragma once
/// Shared pieces of the research endpoints (trends, export, similar): the query plan of a
/// request exactly as /search builds it (synonyms, parser of the query's language, limits),
/// and a Hit from a stored document.

#include "common/error.hpp"
#include "searchd/search/query_builder.hpp"
#include "searchd/search/searcher.hpp"
#include "searchd/search/types.hpp"

#include <xapian.h>

namespace gazette::searchd {

/// Builds the plan of `request` against `g` like Searcher::search does.
/// Errors: bad_query (with position), too_complex, bad_request.
[[nodiscard]] Result<QueryPlan> research_plan(const GenerationAccess& g, const SearchRequest& request);

/// Maps the query-time Xapian exceptions (wildcard too broad, parser errors) to Errors;
/// runs `fn` otherwise. Use around get_mset calls of research code.
template <class F>
auto map_query_errors(const LimitsConfig& limits, F&& fn) -> decltype(fn()) {
    try {
        return fn();
    } catch (const Xapian::WildcardError&) {
        return Error(ErrorCode::too_complex,
                     "a wildcard expands to more than " + std::to_string(limits.max_wildcard_expansion) +
                         " terms",
                     "q");
    } catch (const Xapian::QueryParserError& e) {
        return Error(ErrorCode::bad_query, e.get_msg(), "q");
    }
}

} // namespace gazette::searchd
