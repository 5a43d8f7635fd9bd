#pragma once
/// HTTP handlers of the research endpoints (issue 4): GET /trends, GET /export and
/// GET /articles/{id}/similar. Parameters are validated on the I/O thread; the index work
/// runs on the engine's workers; a full queue is 503 overloaded.

#include "common/config.hpp"
#include "httpd/server.hpp"

#include <string>

namespace gazette::searchd {
class Engine;
}

namespace gazette::searchd::api {

/// `/trends?q=..&interval=year|month|week|day&split=topic` plus every /search filter.
void handle_trends(const Config& config, Engine& engine, const httpd::Request& request,
                   httpd::Responder respond);

/// `/export?q=..&format=ndjson|csv|ris|bibtex&fields=..&sort=..` plus filters: chunked.
void handle_export(const Config& config, Engine& engine, const httpd::Request& request,
                   httpd::Responder respond);

/// `/articles/{id}/similar?limit=10` plus filters and generation.
void handle_similar(const Config& config, Engine& engine, const httpd::Request& request, std::string id,
                    httpd::Responder respond);

} // namespace gazette::searchd::api
