#pragma once
/// searchd's request router: turns httpd::Requests into Engine calls and JSON responses.
///
/// Cheap endpoints (/healthz, /readyz, /metrics, static files) and /search (thread-per-core,
/// Engine::search_here) are answered on the calling I/O thread; everything else that touches
/// the index is queued on the engine's workers, and a full queue is answered at once with 503
/// overloaded.

#include "common/config.hpp"
#include "httpd/server.hpp"
#include "searchd/api/access_control.hpp"
#include "searchd/api/cors.hpp"
#include "searchd/api/metrics.hpp"
#include "searchd/api/rate_limiter.hpp"
#include "searchd/api/static_files.hpp"

#include <functional>
#include <memory>

namespace gazette::searchd {
class Engine;
}

namespace spdlog {
class logger;
}

namespace gazette::searchd::api {

class Service {
public:
    /// `config` and `engine` must outlive the service.
    Service(const Config& config, Engine& engine, StaticFiles static_files);

    /// The httpd::Handler. Never throws; `respond` is called exactly once.
    void handle(httpd::Request&& request, httpd::Responder respond);

    /// The httpd access hook: metrics and one access-log line per request.
    void on_access(const httpd::AccessRecord& record);

    /// Source of the open-connection gauge (set once the server exists).
    void set_connection_counter(std::function<std::size_t()> counter) {
        connections_ = std::move(counter);
    }

    Metrics& metrics() noexcept { return metrics_; }

private:
    void search(httpd::Request&& request, httpd::Responder respond);
    void article(const httpd::Request& request, std::string id, httpd::Responder respond);
    void stats(const httpd::Request& request, httpd::Responder respond);
    void topics(const httpd::Request& request, httpd::Responder respond);
    void suggest(const httpd::Request& request, httpd::Responder respond);
    httpd::Response readyz() const;
    httpd::Response metrics_response() const;

    const Config& config_;
    Engine& engine_;
    StaticFiles static_files_;
    Metrics metrics_;
    AccessControl access_;
    Cors cors_;
    RateLimiter limiter_;
    std::function<std::size_t()> connections_;
    /// logger("http"), looked up once: the registry lookup takes a global lock per call.
    std::shared_ptr<spdlog::logger> http_log_;
};

} // namespace gazette::searchd::api
