#pragma once
/// Parsing and validation of /search parameters, from a query string (GET) or a JSON body
/// (POST) with the same fields. Everything that needs no index is checked here, on the I/O
/// thread, so bad requests never take a worker.

#include "common/config.hpp"
#include "common/error.hpp"
#include "httpd/server.hpp"
#include "searchd/search/types.hpp"

#include <string>
#include <utility>
#include <vector>

namespace gazette::searchd::api {

using Params = std::vector<std::pair<std::string, std::string>>;

/// Builds a SearchRequest from decoded parameters (repeats kept in order).
/// Errors name the parameter: bad_request (range, format), bad_utf8.
[[nodiscard]] Result<SearchRequest> parse_search_params(const Params& params,
                                                        const LimitsConfig& limits);

/// Flattens a JSON object body into parameters: arrays become repeated parameters (facets
/// arrays are joined with ','), numbers and booleans become their text. Nesting deeper than
/// 64 levels, non-objects and nested objects are bad_json.
[[nodiscard]] Result<Params> json_body_params(std::string_view body);

/// GET: from the query string; POST: from the JSON body (Content-Type must be JSON).
[[nodiscard]] Result<SearchRequest> parse_search_request(const httpd::Request& request,
                                                         const LimitsConfig& limits);

} // namespace gazette::searchd::api
