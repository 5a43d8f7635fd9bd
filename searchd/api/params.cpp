#include "searchd/api/params.hpp"

#include "common/dates.hpp"
#include "common/text.hpp"

#include <simdjson.h>
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
        } else if (name == "feedback") {
            auto b = parse_bool(name, value);
            if (!b) {
                return b.error();
            }
            r.feedback = *b;
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
    // Written so that a huge offset cannot wrap the sum around.
    if (r.offset > limits.max_result_window || r.limit > limits.max_result_window - r.offset) {
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

namespace {

/// One scalar JSON value as parameter text; false for arrays, objects and null.
simdjson::error_code scalar_text(simdjson::ondemand::value value, std::string& out, bool& ok) {
    ok = true;
    simdjson::ondemand::json_type type;
    if (auto err = value.type().get(type)) {
        return err;
    }
    switch (type) {
    case simdjson::ondemand::json_type::string: {
        std::string_view sv;
        if (auto err = value.get_string().get(sv)) {
            return err;
        }
        out.assign(sv);
        return simdjson::SUCCESS;
    }
    case simdjson::ondemand::json_type::boolean: {
        bool b = false;
        if (auto err = value.get_bool().get(b)) {
            return err;
        }
        out = b ? "true" : "false";
        return simdjson::SUCCESS;
    }
    case simdjson::ondemand::json_type::number: {
        simdjson::ondemand::number n;
        if (auto err = value.get_number().get(n)) {
            return err;
        }
        if (n.is_int64()) {
            out = std::to_string(n.get_int64());
        } else if (n.is_uint64()) {
            out = std::to_string(n.get_uint64());
        } else {
            // Integral doubles are accepted as integers (10.0); others fail later.
            const double d = n.get_double();
            out = d >= 0 && d < 1.8e19 && d == static_cast<double>(static_cast<std::uint64_t>(d))
                      ? std::to_string(static_cast<std::uint64_t>(d))
                      : fmt::format("{}", d);
        }
        return simdjson::SUCCESS;
    }
    default:
        ok = false;
        return simdjson::SUCCESS;
    }
}

Error json_error(simdjson::error_code err) {
    if (err == simdjson::DEPTH_ERROR) {
        return Error(ErrorCode::bad_json,
                     fmt::format("body nests deeper than {} levels", kMaxJsonDepth), "body");
    }
    return Error(ErrorCode::bad_json,
                 fmt::format("body is not valid JSON: {}", simdjson::error_message(err)), "body");
}

} // namespace

Result<Params> json_body_params(std::string_view body) {
    // One parser per I/O thread: it keeps its buffers between requests.
    thread_local simdjson::ondemand::parser parser;
    thread_local bool allocated = false;
    if (!allocated) {
        // Room for the usual body; iterate() grows it when needed, keeping the depth.
        if (auto err = parser.allocate(64 * 1024, kMaxJsonDepth + 2)) {
            return json_error(err);
        }
        allocated = true;
    }
    // The depth limit holds even for parts the ondemand parser would skip, and simdjson
    // 3.0 has no document::at_end(): both are checked on the raw text first.
    {
        std::size_t depth = 0;
        bool in_string = false;
        bool closed = false;
        for (std::size_t i = 0; i < body.size(); ++i) {
            const char c = body[i];
            if (closed && c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return Error(ErrorCode::bad_json, "body has trailing content after the JSON value",
                             "body");
            }
            if (in_string) {
                if (c == '\\') {
                    ++i;
                } else if (c == '"') {
                    in_string = false;
                }
            } else if (c == '"') {
                in_string = true;
            } else if (c == '[' || c == '{') {
                if (++depth > kMaxJsonDepth) {
                    return json_error(simdjson::DEPTH_ERROR);
                }
            } else if ((c == ']' || c == '}') && depth > 0) {
                closed = --depth == 0;
            }
        }
    }
    const simdjson::padded_string padded(body);
    simdjson::ondemand::document doc;
    if (auto err = parser.iterate(padded).get(doc)) {
        return json_error(err);
    }
    simdjson::ondemand::object object;
    if (auto err = doc.get_object().get(object)) {
        return err == simdjson::INCORRECT_TYPE
                   ? Error(ErrorCode::bad_json, "body must be a JSON object", "body")
                   : json_error(err);
    }
    Params params;
    for (auto field_result : object) {
        simdjson::ondemand::field field;
        if (auto err = std::move(field_result).get(field)) {
            return json_error(err);
        }
        std::string_view key_view;
        if (auto err = field.unescaped_key().get(key_view)) {
            return json_error(err);
        }
        const std::string name(key_view);
        simdjson::ondemand::value value = field.value();
        bool is_null = false;
        if (auto err = value.is_null().get(is_null)) {
            return json_error(err);
        }
        if (is_null) {
            continue;
        }
        simdjson::ondemand::json_type type;
        if (auto err = value.type().get(type)) {
            return json_error(err);
        }
        if (type == simdjson::ondemand::json_type::array) {
            simdjson::ondemand::array array;
            if (auto err = value.get_array().get(array)) {
                return json_error(err);
            }
            std::string joined;
            for (auto item_result : array) {
                simdjson::ondemand::value item;
                if (auto err = item_result.get(item)) {
                    return json_error(err);
                }
                std::string s;
                bool ok = false;
                if (auto err = scalar_text(item, s, ok)) {
                    return json_error(err);
                }
                if (!ok) {
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
        bool ok = false;
        if (auto err = scalar_text(value, s, ok)) {
            return json_error(err);
        }
        if (!ok) {
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
