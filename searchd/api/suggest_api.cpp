#include "searchd/api/suggest_api.hpp"

#include "common/text.hpp"
#include "searchd/api/json_number.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace gazette::searchd::api {

Result<SuggestRequest> parse_suggest_request(const httpd::Request& request, const LimitsConfig& limits) {
    SuggestRequest r;
    const auto q = request.param("q");
    if (!q) {
        return Error(ErrorCode::bad_request, "q is required", "q");
    }
    if (!text::is_valid_utf8(*q)) {
        return Error(ErrorCode::bad_utf8, "q is not valid UTF-8", "q");
    }
    const std::size_t chars = text::utf8_length(*q);
    if (chars > limits.max_query_chars) {
        return Error(ErrorCode::bad_request,
                     fmt::format("q is {} characters long; the limit is {}", chars, limits.max_query_chars),
                     "q");
    }
    r.q = *q;
    if (const auto limit = request.param("limit")) {
        std::size_t n = 0;
        const auto [end, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), n);
        if (ec != std::errc() || end != limit->data() + limit->size() || n < 1 || n > kMaxSuggestLimit) {
            return Error(ErrorCode::bad_request,
                         fmt::format("limit must be an integer from 1 to {}", kMaxSuggestLimit), "limit");
        }
        r.limit = n;
    }
    r.title_limit = std::min<std::size_t>(r.limit, 5);
    return r;
}

std::string suggest_json(const SuggestResult& result) {
    boost::json::object o;
    o["q"] = result.q;
    boost::json::array completions;
    for (const auto& c : result.completions) {
        boost::json::object j;
        j["text"] = c.text;
        j["count"] = c.count;
        if (c.fuzzy) {
            j["fuzzy"] = true;
        }
        completions.push_back(std::move(j));
    }
    o["completions"] = std::move(completions);
    boost::json::array titles;
    for (const auto& t : result.titles) {
        boost::json::object j;
        j["id"] = t.id;
        j["title"] = t.title;
        j["url"] = t.url;
        titles.push_back(std::move(j));
    }
    o["titles"] = std::move(titles);
    if (!result.generation.empty()) {
        o["generation"] = result.generation;
    }
    o["took_ms"] = result.took_ms;
    return serialize_plain(o); // plain decimals ("0.3", not "3E-1")
}

} // namespace gazette::searchd::api
