#pragma once
/// GET /suggest parameters and JSON output.

#include "common/config.hpp"
#include "common/error.hpp"
#include "httpd/server.hpp"
#include "searchd/search/suggest.hpp"

#include <string>

namespace gazette::searchd::api {

/// Largest `limit` accepted by /suggest.
inline constexpr std::size_t kMaxSuggestLimit = 20;

/// `q` (required, may be empty; at most limits.max_query_chars characters, valid UTF-8) and
/// `limit` (1..kMaxSuggestLimit, default 8). Titles: min(limit, 5).
/// Errors: bad_request, bad_utf8 (naming the parameter).
[[nodiscard]] Result<SuggestRequest> parse_suggest_request(const httpd::Request& request,
                                                           const LimitsConfig& limits);

/// {"q":..,"completions":[{"text":..,"count":..}],"titles":[{"id","title","url"}],"took_ms":..}
std::string suggest_json(const SuggestResult& result);

} // namespace gazette::searchd::api
