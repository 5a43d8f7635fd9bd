#include "searchd/api/research_handlers.hpp"

#include "common/text.hpp"
#include "searchd/api/errors.hpp"
#include "searchd/api/export_stream.hpp"
#include "searchd/api/json_number.hpp"
#include "searchd/api/json_output.hpp"
#include "searchd/api/params.hpp"
#include "searchd/search/engine.hpp"
#include "searchd/search/export.hpp"
#include "searchd/search/similar.hpp"
#include "searchd/search/trends.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <charconv>

namespace gazette::searchd::api {
namespace {

Error overloaded() { return Error(ErrorCode::overloaded, "the search queue is full; retry shortly"); }

/// The /search parameters of a research request, without the paging ones it does not use.
Result<SearchRequest> search_part(const httpd::Request& request, const LimitsConfig& limits) {
    Params params;
    for (const auto& [k, v] : request.query) {
        if (k != "limit" && k != "offset" && k != "cursor" && k != "sort" && k != "snippet") {
            params.emplace_back(k, v);
        }
    }
    return parse_search_params(params, limits);
}

boost::json::array bucket_array(const std::vector<TrendBucket>& buckets) {
    boost::json::array a;
    a.reserve(buckets.size());
    for (const auto& b : buckets) {
        boost::json::object o;
        o["key"] = b.key;
        o["count"] = b.count;
        a.emplace_back(std::move(o));
    }
    return a;
}

std::string trends_json(const TrendsResult& r, const std::string& q) {
    boost::json::object out;
    boost::json::object query;
    query["q"] = q;
    query["parsed"] = r.parsed;
    out["query"] = std::move(query);
    out["interval"] = trend_interval_name(r.interval);
    out["buckets"] = bucket_array(r.buckets);
    if (!r.series.empty()) {
        boost::json::object series;
        for (const auto& [topic, buckets] : r.series) {
            series[topic] = bucket_array(buckets);
        }
        out["series"] = std::move(series);
    }
    out["total"] = r.total;
    out["undated"] = r.undated;
    out["generation"] = r.generation;
    out["took_ms"] = r.took_ms;
    return serialize_plain(out);
}

template <class T>
std::function<void(Result<T>)> answer(std::shared_ptr<httpd::Responder> respond, std::string rid,
                                      std::function<std::string(const T&)> body) {
    return [respond, rid, body](Result<T> r) {
        if (!r) {
            return (*respond)(error_response(r.error(), rid));
        }
        (*respond)(json_response(body(*r)));
    };
}

} // namespace

void handle_trends(const Config& config, Engine& engine, const httpd::Request& request,
                   httpd::Responder respond) {
    const std::string& rid = request.request_id;
    auto search = search_part(request, config.limits);
    if (!search) {
        return respond(error_response(search.error(), rid));
    }
    TrendsRequest tr;
    tr.search = std::move(*search);
    tr.search.facets.clear();
    const auto interval = parse_trend_interval(request.param("interval").value_or("month"));
    if (!interval) {
        return respond(error_response(
            Error(ErrorCode::bad_request, "interval must be year, month, week or day", "interval"), rid));
    }
    tr.interval = *interval;
    if (const auto split = request.param("split")) {
        if (*split != "topic" && !split->empty()) {
            return respond(
                error_response(Error(ErrorCode::bad_request, "split must be topic", "split"), rid));
        }
        tr.split_topic = *split == "topic";
    }
    auto shared = std::make_shared<httpd::Responder>(std::move(respond));
    auto done = answer<TrendsResult>(shared, rid, [q = tr.search.q](const TrendsResult& r) {
        return trends_json(r, q);
    });
    const bool ok = engine.submit_job([tr = std::move(tr), done](Searcher& s) {
        Result<TrendsResult> r = Error(ErrorCode::internal, "internal error");
        try {
            r = run_trends(s, tr);
        } catch (...) {
            r = Error(ErrorCode::internal, "internal error");
        }
        done(std::move(r));
    });
    if (!ok) {
        (*shared)(error_response(overloaded(), rid));
    }
}

void handle_similar(const Config& config, Engine& engine, const httpd::Request& request, std::string id,
                    httpd::Responder respond) {
    const std::string& rid = request.request_id;
    auto search = search_part(request, config.limits);
    if (!search) {
        return respond(error_response(search.error(), rid));
    }
    SimilarRequest sr;
    sr.id = std::move(id);
    sr.filters = search->filters;
    sr.generation = search->generation;
    if (const auto limit = request.param("limit")) {
        std::size_t n = 0;
        const auto [p, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), n);
        if (limit->empty() || ec != std::errc() || p != limit->data() + limit->size() || n == 0 ||
            n > config.limits.max_limit) {
            return respond(error_response(
                Error(ErrorCode::bad_request,
                      fmt::format("limit must be between 1 and {}", config.limits.max_limit), "limit"),
                rid));
        }
        sr.limit = n;
    }
    auto shared = std::make_shared<httpd::Responder>(std::move(respond));
    auto done = answer<SearchResult>(shared, rid, [](const SearchResult& r) { return search_result_json(r); });
    const bool ok = engine.submit_job([sr = std::move(sr), done](Searcher& s) {
        Result<SearchResult> r = Error(ErrorCode::internal, "internal error");
        try {
            r = run_similar(s, sr);
        } catch (...) {
            r = Error(ErrorCode::internal, "internal error");
        }
        done(std::move(r));
    });
    if (!ok) {
        (*shared)(error_response(overloaded(), rid));
    }
}

void handle_export(const Config& config, Engine& engine, const httpd::Request& request,
                   httpd::Responder respond) {
    const std::string& rid = request.request_id;
    auto search = search_part(request, config.limits);
    if (!search) {
        return respond(error_response(search.error(), rid));
    }
    SearchRequest sr = std::move(*search);
    sr.facets.clear();
    sr.snippet_chars = 0;
    if (const auto sort = request.param("sort")) {
        if (*sort == "relevance" || sort->empty()) {
            sr.sort = SortOrder::relevance;
        } else if (*sort == "date") {
            sr.sort = SortOrder::date_desc;
        } else if (*sort == "-date") {
            sr.sort = SortOrder::date_asc;
        } else {
            return respond(error_response(
                Error(ErrorCode::bad_request, "sort must be relevance, date or -date", "sort"), rid));
        }
    }
    const auto format = parse_export_format(request.param("format").value_or("ndjson"));
    if (!format) {
        return respond(error_response(
            Error(ErrorCode::bad_request, "format must be ndjson, csv, ris or bibtex", "format"), rid));
    }
    std::vector<ExportField> fields;
    if (const auto list = request.param("fields"); list && !list->empty()) {
        for (auto part : text::split(*list, ',')) {
            part = text::trim(part);
            const auto f = parse_export_field(part);
            if (!f) {
                return respond(error_response(
                    Error(ErrorCode::bad_request,
                          fmt::format("unknown field '{}'; use id, title, url, date, source, author, "
                                      "topics, snippet, body or score",
                                      text::truncate_utf8(part, 40)),
                          "fields"),
                    rid));
            }
            if (std::find(fields.begin(), fields.end(), *f) == fields.end()) {
                fields.push_back(*f);
            }
        }
    } else {
        fields = default_export_fields();
    }
    // Bodies and tags are read from the stored article (the hit summary has neither).
    const bool with_body = std::find(fields.begin(), fields.end(), ExportField::body) != fields.end() ||
                           std::find(fields.begin(), fields.end(), ExportField::tags) != fields.end();
    if (std::find(fields.begin(), fields.end(), ExportField::snippet) != fields.end()) {
        sr.snippet_chars = 200;
    }
    auto shared = std::make_shared<httpd::Responder>(std::move(respond));
    Engine* eng = &engine;
    const bool ok = engine.submit_job([sr = std::move(sr), fmt_ = *format, fields, with_body, shared, rid,
                                       eng](Searcher& s) {
        Result<std::unique_ptr<ExportCursor>> cursor = Error(ErrorCode::internal, "internal error");
        try {
            cursor = ExportCursor::open(s, sr, with_body);
        } catch (...) {
            cursor = Error(ErrorCode::internal, "internal error");
        }
        if (!cursor) {
            return (*shared)(error_response(cursor.error(), rid));
        }
        httpd::Response r;
        r.content_type = export_content_type(fmt_);
        r.headers.emplace_back("Content-Disposition",
                               fmt::format("attachment; filename=\"gazette-export-{}.{}\"",
                                           (*cursor)->generation(), export_extension(fmt_)));
        r.headers.emplace_back("X-Gazette-Generation", (*cursor)->generation());
        r.headers.emplace_back("X-Total-Count", std::to_string((*cursor)->total()));
        r.stream = std::make_shared<ExportStream>(*eng, std::move(*cursor), fmt_, fields);
        (*shared)(std::move(r));
    });
    if (!ok) {
        (*shared)(error_response(overloaded(), rid));
    }
}

} // namespace gazette::searchd::api
