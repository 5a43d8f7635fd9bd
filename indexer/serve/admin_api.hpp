#pragma once
/// The admin HTTP API of `gazette-indexer serve`: routing, authorization and the JSON bodies.
/// Transport is gazette::httpd; indexing is the WriterLoop; jobs are the JobManager.
///
/// Handlers run on I/O threads and never block on the writer: ingest and activation answer
/// from the writer's completion callback (Responder may be called from any thread).

#include "httpd/server.hpp"
#include "indexer/serve/admin_auth.hpp"
#include "indexer/serve/article_intake.hpp"
#include "indexer/serve/job_manager.hpp"
#include "indexer/serve/serve_metrics.hpp"
#include "indexer/serve/writer_loop.hpp"

#include <memory>
#include <mutex>
#include <string>

namespace gazette::indexer::serve {

class AdminApi {
public:
    AdminApi(WriterContext& ctx, WriterLoop& writer, JobManager& jobs, ServeMetrics& metrics, ReaderPool& readers,
             std::shared_ptr<const AdminAuth> auth);

    /// The httpd::Handler.
    void handle(httpd::Request&& request, const httpd::Responder& respond);
    /// Records an access in the metrics (httpd::ServerOptions::on_access).
    void on_access(const httpd::AccessRecord& record);
    /// Swaps in new keys (SIGHUP).
    void set_auth(std::shared_ptr<const AdminAuth> auth);

private:
    // Each route calls `respond` exactly once, now or later from the writer thread.
    void route(const httpd::Request& req, const httpd::Responder& respond);
    void post_articles(const httpd::Request& req, const httpd::Responder& respond);
    void delete_article(const httpd::Request& req, const httpd::Responder& respond);
    void jobs(const httpd::Request& req, const httpd::Responder& respond);
    void activate_generation(const httpd::Request& req, const std::string& gen, const httpd::Responder& respond);
    httpd::Response list_generations() const;
    httpd::Response readyz() const;
    httpd::Response metrics() const;
    std::shared_ptr<const AdminAuth> auth() const;

    WriterContext& ctx_;
    WriterLoop& writer_;
    JobManager& jobs_;
    ServeMetrics& metrics_;
    ReaderPool& readers_;
    mutable std::mutex auth_mutex_;
    std::shared_ptr<const AdminAuth> auth_;
};

/// The route pattern of a request, for metrics labels ("/articles/{id}"); "other" for the rest.
std::string route_label(std::string_view path);

} // namespace gazette::indexer::serve
