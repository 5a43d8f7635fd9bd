#include "searchd/api/service.hpp"

#include "common/data_dir.hpp"
#include "common/logging.hpp"
#include "common/text.hpp"
#include "searchd/api/errors.hpp"
#include "searchd/api/json_number.hpp"
#include "searchd/api/json_output.hpp"
#include "searchd/api/params.hpp"
#include "searchd/api/research_handlers.hpp"
#include "searchd/api/suggest_api.hpp"
#include "searchd/search/engine.hpp"

#include <boost/json.hpp>

namespace gazette::searchd::api {
namespace {

bool is_get(const httpd::Request& r) { return r.method == "GET" || r.method == "HEAD"; }

httpd::Response method_not_allowed(std::string_view allow, std::string_view request_id) {
    // 405 has no domain error code (it is purely HTTP), so it is built here.
    boost::json::object inner;
    inner["code"] = "method_not_allowed";
    inner["message"] = fmt::format("method not allowed; use {}", allow);
    if (!request_id.empty()) {
        inner["request_id"] = request_id;
    }
    boost::json::object outer;
    outer["error"] = std::move(inner);
    httpd::Response r;
    r.status = 405;
    r.body = boost::json::serialize(outer);
    r.headers.emplace_back("Allow", std::string(allow));
    return r;
}

Error overloaded() {
    return Error(ErrorCode::overloaded, "the search queue is full; retry shortly");
}

} // namespace

Service::Service(const Config& config, Engine& engine, StaticFiles static_files)
    : config_(config), engine_(engine), static_files_(std::move(static_files)), access_(config),
      cors_(config.cors), limiter_(config.rate_limit), http_log_(logger("http")) {}

void Service::handle(httpd::Request&& request, httpd::Responder respond) {
    try {
        const std::string& path = request.path;
        const std::string& id = request.request_id;
        if (path == "/healthz") {
            if (!is_get(request)) {
                return respond(method_not_allowed("GET, HEAD", id));
            }
            return respond(json_response(R"({"status":"ok"})"));
        }
        if (path == "/readyz") {
            if (!is_get(request)) {
                return respond(method_not_allowed("GET, HEAD", id));
            }
            return respond(readyz());
        }
        if (path == "/metrics") {
            if (!is_get(request)) {
                return respond(method_not_allowed("GET, HEAD", id));
            }
            return respond(metrics_response());
        }
        // Everything below: CORS on the read-only endpoints, then the rate limit (per key, else
        // per client IP; an unknown key is limited by IP), then keys and scopes.
        if (cors_.enabled() && Cors::applies_to(path)) {
            const auto origin = request.header("origin");
            if (request.method == "OPTIONS") {
                return respond(cors_.preflight(origin));
            }
            respond = [inner = std::move(respond), extra = cors_.headers(origin)](httpd::Response r) {
                r.headers.insert(r.headers.end(), extra.begin(), extra.end());
                inner(std::move(r));
            };
        }
        const Caller caller = access_.identify(request);
        if (const std::uint32_t wait = limiter_.acquire(caller.client); wait > 0) {
            return respond(rate_limited_response(wait, id));
        }
        if (auto allowed = access_.authorize(caller, AccessControl::required_scope(path)); !allowed) {
            return respond(access_denied_response(allowed.error(), id));
        }
        if (path == "/suggest") {
            if (!is_get(request)) {
                return respond(method_not_allowed("GET, HEAD", id));
            }
            return suggest(request, std::move(respond));
        }
        if (path == "/admin/cache/clear") {
            if (request.method != "POST") {
                return respond(method_not_allowed("POST", id));
            }
            engine_.clear_caches();
            return respond(json_response(R"({"cleared":true})"));
        }
        if (path == "/search") {
            if (!is_get(request) && request.method != "POST") {
                return respond(method_not_allowed("GET, HEAD, POST", id));
            }
            return search(std::move(request), std::move(respond));
        }
        if (path == "/stats" || path == "/topics") {
            if (!is_get(request)) {
                return respond(method_not_allowed("GET, HEAD", id));
            }
            return path == "/stats" ? stats(request, std::move(respond))
                                    : topics(request, std::move(respond));
        }
        if (path == "/trends" || path == "/export") {
            if (!is_get(request)) {
                return respond(method_not_allowed("GET, HEAD", id));
            }
            return path == "/trends" ? handle_trends(config_, engine_, request, std::move(respond))
                                     : handle_export(config_, engine_, request, std::move(respond));
        }
        constexpr std::string_view kArticles = "/articles/";
        if (constexpr std::string_view kSimilar = "/similar";
            request.raw_path.rfind(kArticles, 0) == 0 &&
            request.raw_path.size() > kArticles.size() + kSimilar.size() &&
            request.raw_path.compare(request.raw_path.size() - kSimilar.size(), kSimilar.size(), kSimilar) == 0) {
            const std::string raw = request.raw_path.substr(
                kArticles.size(), request.raw_path.size() - kArticles.size() - kSimilar.size());
            std::string decoded;
            if (raw.find('/') != std::string::npos || !text::percent_decode(raw, decoded)) {
                return respond(error_response(Error(ErrorCode::not_found, "no such resource", "path"), id));
            }
            if (!is_get(request)) {
                return respond(method_not_allowed("GET, HEAD", id));
            }
            return handle_similar(config_, engine_, request, std::move(decoded), std::move(respond));
        }
        if (request.raw_path.rfind(kArticles, 0) == 0) {
            // Split on the raw path so that ids may contain an encoded '/'.
            const std::string raw = request.raw_path.substr(kArticles.size());
            std::string decoded;
            if (raw.empty() || raw.find('/') != std::string::npos ||
                !text::percent_decode(raw, decoded)) {
                return respond(error_response(
                    Error(ErrorCode::not_found, "no such resource", "path"), id));
            }
            if (!is_get(request)) {
                return respond(method_not_allowed("GET, HEAD", id));
            }
            return article(request, std::move(decoded), std::move(respond));
        }
        if (is_get(request)) {
            if (auto file = static_files_.serve(path)) {
                return respond(std::move(*file));
            }
        } else if (path == "/" || path.find('.') != std::string::npos) {
            return respond(method_not_allowed("GET, HEAD", id));
        }
        return respond(error_response(
            Error(ErrorCode::not_found, fmt::format("no such resource: {}",
                                                    text::truncate_utf8(path, 200)),
                  "path"),
            id));
    } catch (const std::exception& e) {
        logger("http")->error("request_id={} handler failed: {}", request.request_id, e.what());
        respond(error_response(Error(ErrorCode::internal, e.what()), request.request_id));
    }
}

void Service::search(httpd::Request&& request, httpd::Responder respond) {
    auto parsed = parse_search_request(request, config_.limits);
    if (!parsed) {
        return respond(error_response(parsed.error(), request.request_id));
    }
    if (!engine_.ready() && parsed->generation.empty() && parsed->cursor.empty()) {
        return respond(error_response(
            Error(ErrorCode::not_ready, "no index generation is live yet"), request.request_id));
    }
    // Thread-per-core: the I/O thread that owns the connection runs the search with its own
    // Searcher and answers at once (no hand-off to a worker and back).
    const Result<SearchResult> r = engine_.search_here(*parsed);
    if (!r) {
        return respond(error_response(r.error(), request.request_id));
    }
    respond(json_response(search_result_json(*r)));
}

void Service::suggest(const httpd::Request& request, httpd::Responder respond) {
    auto parsed = parse_suggest_request(request, config_.limits);
    if (!parsed) {
        return respond(error_response(parsed.error(), request.request_id));
    }
    if (!engine_.ready()) {
        return respond(error_response(
            Error(ErrorCode::not_ready, "no index generation is live yet"), request.request_id));
    }
    auto shared = std::make_shared<httpd::Responder>(std::move(respond));
    const std::string rid = request.request_id;
    const bool ok = engine_.submit_suggest(std::move(*parsed), [shared, rid](Result<SuggestResult> r) {
        if (!r) {
            return (*shared)(error_response(r.error(), rid));
        }
        (*shared)(json_response(suggest_json(*r)));
    });
    if (!ok) {
        (*shared)(error_response(overloaded(), rid));
    }
}

void Service::article(const httpd::Request& request, std::string id, httpd::Responder respond) {
    auto shared = std::make_shared<httpd::Responder>(std::move(respond));
    const std::string rid = request.request_id;
    const bool ok = engine_.submit_article(std::move(id), request.param("generation").value_or(""),
                                           [shared, rid](Result<ArticleResult> r) {
                                               if (!r) {
                                                   return (*shared)(error_response(r.error(), rid));
                                               }
                                               // The stored JSON prints topic scores as
                                               // "9.069E0"; answer in plain decimals like
                                               // every other response.
                                               boost::system::error_code ec;
                                               const auto v = boost::json::parse(r->json, ec);
                                               (*shared)(json_response(ec ? std::move(r->json) : serialize_plain(v)));
                                           });
    if (!ok) {
        (*shared)(error_response(overloaded(), rid));
    }
}

void Service::stats(const httpd::Request& request, httpd::Responder respond) {
    auto shared = std::make_shared<httpd::Responder>(std::move(respond));
    const std::string rid = request.request_id;
    const bool ok = engine_.submit_stats([this, shared, rid](Result<StatsResult> r) {
        if (!r) {
            return (*shared)(error_response(r.error(), rid));
        }
        (*shared)(json_response(stats_json(*r, engine_.queue_depth())));
    });
    if (!ok) {
        (*shared)(error_response(overloaded(), rid));
    }
}

void Service::topics(const httpd::Request& request, httpd::Responder respond) {
    auto shared = std::make_shared<httpd::Responder>(std::move(respond));
    const std::string rid = request.request_id;
    const bool ok = engine_.submit_topics([this, shared, rid](Result<std::vector<TopicCount>> r) {
        if (!r) {
            return (*shared)(error_response(r.error(), rid));
        }
        (*shared)(json_response(topics_json(*r, engine_.live_generation().value_or(""))));
    });
    if (!ok) {
        (*shared)(error_response(overloaded(), rid));
    }
}

httpd::Response Service::readyz() const {
    const auto gen = engine_.live_generation();
    if (!engine_.ready() || !gen) {
        return error_response(Error(ErrorCode::not_ready, "no index generation is live yet"), {});
    }
    boost::json::object o;
    o["status"] = "ready";
    o["generation"] = *gen;
    return json_response(boost::json::serialize(o));
}

httpd::Response Service::metrics_response() const {
    MetricsGauges g;
    g.queue_depth = engine_.queue_depth();
    g.queue_capacity = engine_.queue_capacity();
    g.busy_workers = engine_.busy_workers();
    g.docs = engine_.doc_count();
    g.ready = engine_.ready();
    if (const auto gen = engine_.live_generation()) {
        g.generation = generation_number(*gen).value_or(0);
    }
    g.open_connections = connections_ ? connections_() : 0;
    g.cache_hits = engine_.cache_hits();
    g.cache_misses = engine_.cache_misses();
    g.sliced_matches = engine_.sliced_matches();
    g.cache_entries = engine_.cache_size();
    g.rate_limited = limiter_.refused();
    g.rate_limit_clients = limiter_.size();
    httpd::Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = metrics_.render(g);
    return r;
}

void Service::on_access(const httpd::AccessRecord& record) {
    metrics_.record(Metrics::endpoint_of(record.target), record.status, record.latency_ms);
    http_log_->info("request_id={} method={} target={} ip={} status={} bytes={} latency_ms={:.2f}",
                         record.request_id, record.method, record.target, record.remote_ip,
                         record.status, record.bytes, record.latency_ms);
}

} // namespace gazette::searchd::api
