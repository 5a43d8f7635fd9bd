// `gazette-indexer serve`: wires the writer loop, the inbox, the job manager and the admin
// HTTP API together, and runs until SIGTERM/SIGINT. See indexer/serve/README.md.

#include "common/data_dir.hpp"
#include "common/logging.hpp"
#include "httpd/server.hpp"
#include "indexer/commands.hpp"
#include "indexer/jobs/generation_files.hpp"
#include "indexer/serve/admin_api.hpp"
#include "indexer/serve/inbox_watcher.hpp"
#include "indexer/serve/serve_jobs.hpp"

#include <csignal>
#include <cstdio>
#include <shared_mutex>
#include <system_error>

namespace gazette::indexer {

namespace {

std::shared_ptr<const serve::AdminAuth> make_auth(const Config& config, const std::string& host) {
    auto auth = std::make_shared<const serve::AdminAuth>(config, host);
    if (auth->open_on_loopback()) {
        logger("http")->warn("no API keys are configured: the admin API on {} is open to every local process; add a "
                             "[[keys]] entry with scopes = [\"admin\"] to require a key",
                             host);
    } else if (auth->locked()) {
        logger("http")->warn("no admin key is configured: the admin API refuses every request except /healthz, "
                             "/readyz and /metrics; add a [[keys]] entry with scopes = [\"admin\"]");
    }
    return auth;
}

} // namespace

int command_serve(const Config& config, const ServeOptions& options) {
    auto log = logger("ingest");
    const std::string listen_value = options.admin_listen.empty() ? config.indexer.admin_listen : options.admin_listen;
    const auto listen = parse_listen(listen_value, options.admin_listen.empty() ? "indexer.admin_listen" : "--admin-listen");
    if (!listen) {
        std::fprintf(stderr, "gazette-indexer: %s\n", listen.error().message.c_str());
        return 2;
    }
    auto opened = WriterContext::open(config);
    if (!opened) {
        std::fprintf(stderr, "gazette-indexer: %s\n", opened.error().message.c_str());
        return 1;
    }
    WriterContext& ctx = **opened;
    // No job of ours runs yet and we hold the LOCK: leftovers are from a crashed job.
    if (const auto stale = remove_stale_build_dirs(ctx.data_dir()); stale > 0) {
        log->info("removed {} unfinished generation builds left by an interrupted job", stale);
    }

    ReaderOptions reader_options;
    reader_options.extra_patterns = config.indexer.boilerplate_patterns;
    serve::ReaderPool readers(reader_options);
    serve::ServeMetrics metrics;
    std::shared_mutex taxonomy_lock;
    serve::WriterLoopOptions writer_options;
    writer_options.commit_interval_ms = config.indexer.commit_interval_ms;
    writer_options.replay_batch = std::max<std::size_t>(1, config.indexer.batch_size);
    serve::WriterLoop writer(ctx, metrics, taxonomy_lock, writer_options);
    serve::JobManager jobs(ctx.data_dir().jobs_dir(), serve::serve_job_kinds(ctx, writer, taxonomy_lock));
    serve::AdminApi api(ctx, writer, jobs, metrics, readers, make_auth(config, listen->first));

    httpd::ServerOptions server_options;
    server_options.host = listen->first;
    server_options.port = listen->second;
    server_options.io_threads = 2; // parsing request bodies happens on these
    server_options.max_body_bytes = config.limits.max_body_bytes_admin;
    server_options.max_uri_bytes = config.limits.max_uri_bytes;
    server_options.max_header_bytes = config.limits.max_header_bytes;
    server_options.max_headers = config.limits.max_headers;
    server_options.max_connections = config.limits.max_connections;
    server_options.header_read_timeout_s = config.limits.header_read_timeout_s;
    server_options.body_read_timeout_s = config.limits.body_read_timeout_s;
    server_options.keep_alive_idle_s = config.limits.keep_alive_idle_s;
    server_options.server_name = "gazette-indexer";
    server_options.on_access = [&api](const httpd::AccessRecord& r) { api.on_access(r); };
    httpd::Server server(server_options,
                         [&api](httpd::Request&& request, httpd::Responder respond) {
                             api.handle(std::move(request), respond);
                         });
    try {
        server.start();
    } catch (const std::system_error& e) {
        std::fprintf(stderr, "gazette-indexer: %s: %s\n", e.what(), e.code().message().c_str());
        return 1;
    }
    // Health and metrics answer from here on; /readyz turns ready once the replay is done.
    writer.start();
    std::printf("listening on %s:%u\n", listen->first.c_str(), static_cast<unsigned>(server.port()));
    std::fflush(stdout);
    if (!options.ready_file.empty()) {
        write_file_atomic(options.ready_file, std::to_string(server.port()) + "\n");
    }

    serve::InboxWatcher inbox(ctx, writer, metrics, readers);
    inbox.start();

    const Config original = config;
    const std::string host = listen->first;
    server.handle_signals(
        [&](int signo) {
            if (signo != SIGHUP) {
                log->info("signal {}: stopping (finishing requests in flight, draining the queue)", signo);
                return;
            }
            // Keys come from the file again; the data dir and listen address stay as started.
            auto fresh = load_config(original.config_path);
            if (fresh) {
                fresh->data_dir = original.data_dir;
            }
            if (!fresh || !validate_config(*fresh)) {
                log->error("SIGHUP: config reload failed, keeping the current keys: {}",
                           fresh ? "invalid config" : fresh.error().message);
            } else {
                api.set_auth(make_auth(*fresh, host));
                log->info("SIGHUP: API keys reloaded ({} keys)", fresh->keys.size());
            }
            writer.request_taxonomy_reload();
        },
        10);
    server.run();

    inbox.stop();
    jobs.shutdown();
    writer.stop();
    log->info("stopped cleanly");
    return 0;
}

} // namespace gazette::indexer
