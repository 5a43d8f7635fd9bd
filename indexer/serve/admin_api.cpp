#include "indexer/serve/admin_api.hpp"

#include "common/data_dir.hpp"
#include "common/logging.hpp"
#include "common/schema.hpp"
#include "indexer/writer.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>
#include <xapian.h>

#include <algorithm>
#include <chrono>

namespace gazette::indexer::serve {

namespace {

using httpd::Request;
using httpd::Responder;
using httpd::Response;

Response json(unsigned status, std::string body) {
    Response r;
    r.status = status;
    r.content_type = "application/json";
    r.body = std::move(body);
    return r;
}

Response error(unsigned status, std::string_view code, std::string_view message, const Request& req) {
    return json(status, httpd::error_body(code, message, req.request_id));
}

Response method_not_allowed(const Request& req, std::string allow) {
    auto r = error(405, "method_not_allowed", fmt::format("{} is not allowed here; use {}", req.method, allow), req);
    r.headers.emplace_back("Allow", std::move(allow));
    return r;
}

Response overloaded(const Request& req) {
    auto r = error(503, "overloaded", "the ingest queue is full; retry shortly", req);
    r.headers.emplace_back("Retry-After", "1");
    return r;
}

std::vector<std::string> split_path(std::string_view path) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < path.size()) {
        while (i < path.size() && path[i] == '/') {
            ++i;
        }
        const auto j = path.find('/', i);
        const auto end = j == std::string_view::npos ? path.size() : j;
        if (end > i) {
            out.emplace_back(path.substr(i, end - i));
        }
        i = end;
    }
    return out;
}

constexpr std::string_view kArticlesPrefix = "/articles/";

} // namespace

std::string route_label(std::string_view path) {
    path = path.substr(0, path.find('?'));
    if (path == "/healthz" || path == "/readyz" || path == "/metrics" || path == "/articles" || path == "/jobs" ||
        path == "/generations") {
        return std::string(path);
    }
    if (path.rfind(kArticlesPrefix, 0) == 0) {
        return "/articles/{id}";
    }
    const auto parts = split_path(path);
    if (parts.size() == 2 && parts[0] == "jobs") {
        return "/jobs/{id}";
    }
    if (parts.size() == 3 && parts[0] == "jobs" && parts[2] == "cancel") {
        return "/jobs/{id}/cancel";
    }
    if (parts.size() == 3 && parts[0] == "generations" && parts[2] == "activate") {
        return "/generations/{gen}/activate";
    }
    return "other";
}

AdminApi::AdminApi(WriterContext& ctx, WriterLoop& writer, JobManager& jobs, ServeMetrics& metrics,
                   ReaderPool& readers, std::shared_ptr<const AdminAuth> auth)
    : ctx_(ctx), writer_(writer), jobs_(jobs), metrics_(metrics), readers_(readers), auth_(std::move(auth)) {}

void AdminApi::set_auth(std::shared_ptr<const AdminAuth> auth) {
    std::lock_guard lock(auth_mutex_);
    auth_ = std::move(auth);
}

std::shared_ptr<const AdminAuth> AdminApi::auth() const {
    std::lock_guard lock(auth_mutex_);
    return auth_;
}

void AdminApi::on_access(const httpd::AccessRecord& record) {
    metrics_.record_request(route_label(record.target), record.method, record.status, record.latency_ms / 1000.0);
}

void AdminApi::handle(Request&& request, const Responder& respond) {
    try {
        route(request, respond);
    } catch (const std::exception& e) {
        // Only the synchronous part can throw here; nothing was answered yet.
        logger("http")->error("request_id={} {} {} failed: {}", request.request_id, request.method, request.path,
                              e.what());
        respond(error(500, "internal", "internal error; see the log for this request id", request));
    }
}

void AdminApi::route(const Request& req, const Responder& respond) {
    const std::string& path = req.path;
    if (path == "/healthz") {
        respond(req.method == "GET" || req.method == "HEAD" ? json(200, R"({"status":"ok"})")
                                                            : method_not_allowed(req, "GET, HEAD"));
        return;
    }
    if (path == "/readyz") {
        respond(req.method == "GET" || req.method == "HEAD" ? readyz() : method_not_allowed(req, "GET, HEAD"));
        return;
    }
    if (path == "/metrics") {
        respond(req.method == "GET" || req.method == "HEAD" ? metrics() : method_not_allowed(req, "GET, HEAD"));
        return;
    }
    if (auto denied = auth()->check(req.headers)) {
        respond(error(denied->status, denied->code, denied->message, req));
        return;
    }
    if (path == "/articles") {
        if (req.method != "POST") {
            respond(method_not_allowed(req, "POST"));
            return;
        }
        post_articles(req, respond);
        return;
    }
    if (path.rfind(kArticlesPrefix, 0) == 0) {
        if (req.method != "DELETE") {
            respond(method_not_allowed(req, "DELETE"));
            return;
        }
        delete_article(req, respond);
        return;
    }
    const auto parts = split_path(path);
    if (!parts.empty() && parts[0] == "jobs") {
        jobs(req, respond);
        return;
    }
    if (parts.size() == 1 && parts[0] == "generations") {
        respond(req.method == "GET" ? list_generations() : method_not_allowed(req, "GET"));
        return;
    }
    if (parts.size() == 3 && parts[0] == "generations" && parts[2] == "activate") {
        if (req.method != "POST") {
            respond(method_not_allowed(req, "POST"));
            return;
        }
        activate_generation(req, parts[1], respond);
        return;
    }
    respond(error(404, "not_found", fmt::format("no such endpoint: {}", path), req));
}

Response AdminApi::readyz() const {
    const bool ready = writer_.ready();
    boost::json::object o;
    o["status"] = ready ? "ready" : "not_ready";
    o["generation"] = writer_.live_generation();
    o["queue_depth"] = writer_.queue_depth();
    if (ready) {
        return json(200, boost::json::serialize(o));
    }
    const auto fault = writer_.fault();
    o["error"] = boost::json::object{
        {"code", "not_ready"},
        {"message", fault.empty() ? "replaying archived records that are not yet indexed" : "index unavailable: " + fault}};
    return json(503, boost::json::serialize(o));
}

Response AdminApi::metrics() const {
    ServeGauges g;
    g.queue_depth = writer_.queue_depth();
    g.live_generation = writer_.live_generation();
    g.documents = writer_.documents();
    g.committed_seq = writer_.committed_seq();
    g.ready = writer_.ready();
    for (const auto& j : jobs_.list()) {
        if (j.state == JobState::running || j.state == JobState::queued) {
            g.jobs.push_back({j.id, j.kind, job_state_name(j.state), j.processed, j.total, j.errors});
        }
    }
    Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = metrics_.render(g);
    return r;
}

void AdminApi::post_articles(const Request& req, const Responder& respond) {
    const auto content_type = req.header("content-type");
    const auto format = content_type ? format_from_content_type(*content_type) : std::nullopt;
    if (!format || (*format != InputFormat::json && *format != InputFormat::jsonl)) {
        respond(error(415, "unsupported",
                      fmt::format("Content-Type '{}' is not accepted; use application/json (one object or an array) "
                                  "or application/x-ndjson (one object per line)",
                                  content_type.value_or("")),
                      req));
        return;
    }
    auto intake = std::make_shared<Intake>(readers_.with_reader(
        [&](Reader& reader) { return parse_articles(reader, req.body, *format, "POST /articles"); }));
    metrics_.add_rejected(intake->rejected.size());
    if (intake->records.empty()) {
        respond(json(400, intake_response_json(0, intake->rejected)));
        return;
    }
    auto records = std::move(intake->records);
    const std::size_t accepted = records.size();
    const std::string request_id = req.request_id;
    const auto r = writer_.submit(std::move(records), [respond, intake, accepted, request_id](const IngestOutcome& o) {
        if (!o.ok) {
            respond(json(503, httpd::error_body("internal", "not stored: " + o.error, request_id)));
            return;
        }
        respond(json(202, intake_response_json(accepted, intake->rejected)));
    });
    if (r == WriterLoop::Submit::overloaded) {
        respond(overloaded(req));
    } else if (r == WriterLoop::Submit::stopping) {
        respond(error(503, "not_ready", "the daemon is shutting down", req));
    }
}

void AdminApi::delete_article(const Request& req, const Responder& respond) {
    const std::string id = req.path.substr(kArticlesPrefix.size());
    if (auto valid = validate_article_id(id); !valid) {
        respond(error(400, "bad_request", valid.error().message, req));
        return;
    }
    std::vector<ArchiveRecord> records(1);
    records[0].op = ArchiveRecord::Op::remove;
    records[0].id = id;
    const std::string request_id = req.request_id;
    const auto r = writer_.submit(std::move(records), [respond, id, request_id](const IngestOutcome& o) {
        if (!o.ok) {
            respond(json(503, httpd::error_body("internal", "not stored: " + o.error, request_id)));
            return;
        }
        boost::json::object body{{"deleted", id}, {"seq", o.last_seq}};
        respond(json(202, boost::json::serialize(body)));
    });
    if (r == WriterLoop::Submit::overloaded) {
        respond(overloaded(req));
    } else if (r == WriterLoop::Submit::stopping) {
        respond(error(503, "not_ready", "the daemon is shutting down", req));
    }
}

void AdminApi::jobs(const Request& req, const Responder& respond) {
    const auto parts = split_path(req.path);
    if (parts.size() == 1) {
        if (req.method != "GET") {
            respond(method_not_allowed(req, "GET"));
            return;
        }
        boost::json::array arr;
        for (const auto& j : jobs_.list()) {
            arr.push_back(boost::json::parse(job_to_json(j)));
        }
        boost::json::array kinds;
        for (const auto& k : jobs_.kinds()) {
            kinds.push_back(boost::json::value(k));
        }
        respond(json(200, boost::json::serialize(boost::json::object{{"jobs", std::move(arr)}, {"kinds", kinds}})));
        return;
    }
    if (parts.size() == 2) {
        const auto kinds = jobs_.kinds();
        const bool is_kind = std::find(kinds.begin(), kinds.end(), parts[1]) != kinds.end();
        if (req.method == "POST") {
            JobParams params;
            for (const auto& [k, v] : req.query) {
                params[k] = v;
            }
            auto started = jobs_.start(parts[1], std::move(params));
            if (!started) {
                const unsigned status = started.error().code == ErrorCode::not_found ? 404 : 503;
                respond(error(status, error_code_name(started.error().code), started.error().message, req));
                return;
            }
            auto r = json(202, job_to_json(*started));
            r.headers.emplace_back("Location", "/jobs/" + started->id);
            respond(std::move(r));
            return;
        }
        if (req.method != "GET" || is_kind) {
            respond(method_not_allowed(req, is_kind ? "POST" : "GET"));
            return;
        }
        const auto job = jobs_.get(parts[1]);
        respond(job ? json(200, job_to_json(*job)) : error(404, "not_found", fmt::format("no job '{}'", parts[1]), req));
        return;
    }
    if (parts.size() == 3 && parts[2] == "cancel") {
        if (req.method != "POST") {
            respond(method_not_allowed(req, "POST"));
            return;
        }
        const auto r = jobs_.cancel(parts[1]);
        if (!r) {
            const unsigned status = r.error().code == ErrorCode::not_found ? 404 : 409;
            respond(error(status, error_code_name(r.error().code), r.error().message, req));
            return;
        }
        respond(json(202, job_to_json(*r)));
        return;
    }
    respond(error(404, "not_found", fmt::format("no such endpoint: {}", req.path), req));
}

Response AdminApi::list_generations() const {
    const auto& dd = ctx_.data_dir();
    const auto live = dd.live_generation();
    boost::json::array arr;
    for (const auto& gen : dd.list_generations()) {
        boost::json::object o;
        o["name"] = gen;
        o["live"] = live && *live == gen;
        try {
            Xapian::Database db(dd.generation_path(gen).string());
            o["documents"] = db.get_doccount();
            o["created"] = db.get_metadata(std::string(schema::kMetaCreated));
            o["last_update"] = db.get_metadata(std::string(schema::kMetaLastUpdate));
            const auto seq = db.get_metadata(std::string(kMetaArchiveSeq));
            o["archive_seq"] = seq.empty() ? 0 : std::stoull(seq);
        } catch (const Xapian::Error& e) {
            o["error"] = e.get_description();
        }
        arr.push_back(std::move(o));
    }
    boost::json::object body{{"live", live ? boost::json::value(*live) : boost::json::value(nullptr)},
                             {"generations", std::move(arr)}};
    return json(200, boost::json::serialize(body));
}

void AdminApi::activate_generation(const Request& req, const std::string& gen, const Responder& respond) {
    const auto& dd = ctx_.data_dir();
    const auto gens = dd.list_generations();
    if (std::find(gens.begin(), gens.end(), gen) == gens.end()) {
        respond(error(404, "not_found", fmt::format("no generation '{}'", gen), req));
        return;
    }
    if (jobs_.busy()) {
        respond(error(409, "conflict", "a job is queued or running; cancel it or wait before activating", req));
        return;
    }
    const std::string request_id = req.request_id;
    auto previous = std::make_shared<std::string>();
    writer_.post_exclusive(
        [gen, previous](WriterAccess& access) {
            *previous = access.generation;
            if (access.generation != gen) {
                // The writer follows the new live pointer after this task and replays the archive
                // records that generation lacks, so nothing acknowledged goes missing.
                access.ctx.data_dir().publish_live(gen);
                logger("ingest")->info("activated generation={} (was {})", gen, access.generation);
            }
        },
        [respond, gen, previous, request_id, this](std::exception_ptr err) {
            if (err) {
                std::string what = "unknown error";
                try {
                    std::rethrow_exception(err);
                } catch (const std::exception& e) {
                    what = e.what();
                } catch (...) {
                }
                respond(json(503, httpd::error_body("internal", "activation failed: " + what, request_id)));
                return;
            }
            boost::json::object body{{"live", gen},
                                     {"previous", *previous},
                                     {"changed", *previous != gen},
                                     {"documents", writer_.documents()}};
            respond(json(200, boost::json::serialize(body)));
        });
}

} // namespace gazette::indexer::serve
