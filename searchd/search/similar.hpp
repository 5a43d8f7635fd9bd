#pragma once
/// GET /articles/{id}/similar: more like this, from the article's own terms.
///
/// The article is the only relevant document of an RSet; Enquire::get_eset picks its most
/// distinctive free-text terms (unprefixed words; prefixed and stemmed duplicates are left
/// out), which are OR-ed into a query that excludes the article itself. Filters apply.

#include "common/error.hpp"
#include "searchd/search/types.hpp"

#include <string>

namespace gazette::searchd {

class Searcher;

struct SimilarRequest {
    std::string id;
    std::size_t limit = 10;
    std::size_t terms = 30; ///< expansion terms taken from the article
    Filters filters;
    std::string generation;
};

/// Runs on a worker. The result's `parsed` names the expansion query. Errors: not_found
/// (unknown id or generation), not_ready.
[[nodiscard]] Result<SearchResult> run_similar(Searcher& searcher, const SimilarRequest& request);

} // namespace gazette::searchd
