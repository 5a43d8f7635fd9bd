#include "searchd/api/params.hpp"

#include "common/dates.hpp"
#include "common/text.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <charconv>

namespace gazette::searchd::api {
namespace {

constexpr std::size_t kMaxJsonDepth = 64;

Result<std::size_t> parse_count(const std::string& name, const std::string& value) {
    std::size_t n = 0;
    const auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (value.empty() || ec != std::errc() || p != value.data() + value.size()) {
        return Error(ErrorCode::bad_request,
                     fmt::format("{} must be a non-negative integer, got '{}'", name,
                                 text::truncate_utf8(value, 40)),
                     name);
    }
    return n;
}

Result<bool> parse_bool(const std::string& name, const std::string& value) {
    if (value == "true" || value == "1" || value.empty()) {
        return true;
    }
    if (value == "false" || value == "0") {
        return false;
    }
    return Error(ErrorCode::bad_request, fmt::format("{} must be true or false", name), name);
}

void split_list(const std::string& value, std::vector<std::string>& out) {
    for (auto part : text::split(value, ',')) {
        part = text::trim(part);
        if (!part.empty()) {
            out.emplace_back(part);
        }
    }
}

} // namespace

Result<SearchRequest> parse_search_params(const Params& params, const LimitsConfig& limits) {
    SearchRequest r;
    bool facets_given = false;
    std::vector<std::string> facet_names;
    for (const auto& [name, value] : params) {
        if (!text::is_valid_utf8(value)) {
            return Error(ErrorCode::bad_utf8, fmt::format("{} is not valid UTF-8", name), name);
        }
        if (name == "q") {
            r.q = value;
        } else if (name == "op") {
            if (value == "or") {
                r.op = DefaultOp::op_or;
            } else if (value == "and") {
                r.op = DefaultOp::op_and;
            } else {
                return Error(ErrorCode::bad_request, "op must be 'or' or 'and'", "op");
            }
        } else if (name == "limit") {
            auto n = parse_count(name, value);
            if (!n) {
                return n.error();
            }
            r.limit = *n;
        } else if (name == "offset") {
            auto n = parse_count(name, value);
            if (!n) {
                return n.error();
            }
            r.offset = *n;
        } else if (name == "snippet") {
            auto n = parse_count(name, value);
            if (!n) {
                return n.error();
            }
            r.snippet_chars = std::min<std::size_t>(*n, 10000);
        } else if (name == "facet_size") {
            auto n = parse_count(name, value);
            if (!n) {
                return n.error();
            }
            if (*n == 0 || *n > 1000) {
                return Error(ErrorCode::bad_request, "facet_size must be between 1 and 1000",
                             "facet_size");
            }
            r.facet_size = *n;
        } else if (name == "sort") {
            if (value == "relevance" || value.empty()) {
                r.sort = SortOrder::relevance;
            } else if (value == "date") {
                r.sort = SortOrder::date_desc;
            } else if (value == "-date") {
                r.sort = SortOrder::date_asc;
            } else {
                return Error(ErrorCode::bad_request, "sort must be relevance, date or -date",
                             "sort");
            }
        } else if (name == "facets") {
            facets_given = true;
            split_list(value, facet_names);
        } else if (name == "topic") {
            r.filters.topic.push_back(value);
        } else if (name == "source") {
            r.filters.source.push_back(value);
        } else if (name == "author") {
            r.filters.author.push_back(value);
        } else if (name == "lang") {
            r.filters.lang.push_back(value);
        } else if (name == "tag") {
            r.filters.tag.push_back(value);
        } else if (name == "from" || name == "to") {
            if (value.empty()) {
                continue;
            }
            auto d = dates::parse(value, name == "to");
            if (!d) {
                return Error(ErrorCode::bad_request,
                             fmt::format("{} must be an ISO date (YYYY-MM-DD), got '{}'", name,
                                         text::truncate_utf8(value, 40)),
                             name);
            }
            (name == "from" ? r.filters.from : r.filters.to) = d->iso();
        } else if (name == "generation") {
            r.generation = value;
        } else if (name == "cursor") {
            r.cursor = value;
        } else if (name == "explain") {
            auto b = parse_bool(name, value);
            if (!b) {
                return b.error();
            }
            r.explain = *b;
        }
        // Unknown parameters are ignored (cache busters, tracking parameters).
    }
    if (facets_given) {
        r.facets.clear();
        for (const auto& f : facet_names) {
            const auto field = parse_facet_field(f);
            if (!field) {
                return Error(ErrorCode::bad_request,
                             fmt::format("unknown facet '{}'; use topic, source, author, lang, "
                                         "tag, year or month",
                                         text::truncate_utf8(f, 40)),
                             "facets");
            }
            if (std::find(r.facets.begin(), r.facets.end(), *field) == r.facets.end()) {
                r.facets.push_back(*field);
            }
        }
    }
    if (r.limit > limits.max_limit) {
        return Error(ErrorCode::bad_request,
                     fmt::format("limit must be at most {}", limits.max_limit), "limit");
    }
    if (r.offset + r.limit > limits.max_result_window) {
        return Error(ErrorCode::bad_request,
                     fmt::format("offset + limit must be at most {}; use cursor (next_cursor of "
                                 "the previous page) to page deeper",
                                 limits.max_result_window),
                     "offset");
    }
    if (!r.filters.from.empty() && !r.filters.to.empty() && r.filters.from > r.filters.to) {
        return Error(ErrorCode::bad_request, "from is after to", "from");
    }
    return r;
}

Result<Params> json_body_params(std::string_view body) {
    boost::json::parse_options opts;
    opts.max_depth = kMaxJsonDepth;
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(body, ec, {}, opts);
    if (ec) {
        return Error(ErrorCode::bad_json, fmt::format("body is not valid JSON: {}", ec.message()),
                     "body");
    }
    if (!v.is_object()) {
        return Error(ErrorCode::bad_json, "body must be a JSON object", "body");
    }
    Params params;
    auto scalar = [](const boost::json::value& x, std::string& out) {
        if (x.is_string()) {
            out = std::string(x.get_string());
        } else if (x.is_bool()) {
            out = x.get_bool() ? "true" : "false";
        } else if (x.is_int64()) {
            out = std::to_string(x.get_int64());
        } else if (x.is_uint64()) {
            out = std::to_string(x.get_uint64());
        } else if (x.is_double()) {
            // Integral doubles are accepted as integers (10.0); others fail later.
            const double d = x.get_double();
            out = d >= 0 && d == static_cast<double>(static_cast<std::uint64_t>(d))
                      ? std::to_string(static_cast<std::uint64_t>(d))
                      : fmt::format("{}", d);
        } else {
            return false;
        }
        return true;
    };
    for (const auto& [key, value] : v.get_object()) {
        const std::string name(key);
        if (value.is_null()) {
            continue;
        }
        if (value.is_array()) {
            std::string joined;
            for (const auto& item : value.get_array()) {
                std::string s;
                if (!scalar(item, s)) {
                    return Error(ErrorCode::bad_json,
                                 fmt::format("{} must hold strings or numbers", name), name);
                }
                if (name == "facets") {
                    joined += (joined.empty() ? "" : ",") + s;
                } else {
                    params.emplace_back(name, std::move(s));
                }
            }
            if (name == "facets") {
                params.emplace_back(name, std::move(joined));
            }
            continue;
        }
        std::string s;
        if (!scalar(value, s)) {
            return Error(ErrorCode::bad_json, fmt::format("{} has the wrong type", name), name);
        }
        params.emplace_back(name, std::move(s));
    }
    return params;
}

Result<SearchRequest> parse_search_request(const httpd::Request& request,
                                           const LimitsConfig& limits) {
    if (request.method != "POST") {
        return parse_search_params(request.query, limits);
    }
    const auto ct = request.header("content-type");
    if (!ct || ct->find("json") == std::string::npos) {
        return Error(ErrorCode::unsupported, "POST /search needs Content-Type: application/json",
                     "content-type");
    }
    auto params = json_body_params(request.body);
    if (!params) {
        return params.error();
    }
    // Query-string parameters apply too (body wins, being later).
    Params all = request.query;
    all.insert(all.end(), params->begin(), params->end());
    return parse_search_params(all, limits);
}

} // namespace gazette::searchd::api
