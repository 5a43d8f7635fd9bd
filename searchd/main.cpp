// gazette-searchd: the search daemon. Thin: options, config, wiring, signals.
#include "common/config.hpp"
#include "common/data_dir.hpp"
#include "common/logging.hpp"
#include "httpd/server.hpp"
#include "searchd/api/service.hpp"
#include "searchd/api/static_files.hpp"
#include "searchd/search/engine.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <thread>

#ifndef GAZETTE_VERSION
#define GAZETTE_VERSION "0.0.0"
#endif
#ifndef GAZETTE_SOURCE_DIR
#define GAZETTE_SOURCE_DIR ""
#endif

namespace {

namespace fs = std::filesystem;

fs::path exe_dir() {
    std::error_code ec;
    auto p = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path() : p.parent_path();
}

/// The web folder: config, else <exe>/../share/gazette/web, else the source tree's web/.
fs::path find_static_dir(const gazette::Config& config) {
    if (!config.searchd.static_dir.empty()) {
        return config.searchd.static_dir;
    }
    std::error_code ec;
    const auto installed = exe_dir() / ".." / "share" / "gazette" / "web";
    if (fs::is_directory(installed, ec)) {
        return installed;
    }
    return fs::path(GAZETTE_SOURCE_DIR) / "web";
}

/// The topics file: config, else installed or source-tree config/topics.toml.
std::string find_topics_file(const gazette::Config& config) {
    if (!config.topics_file.empty()) {
        return config.topics_file;
    }
    std::error_code ec;
    for (const auto& candidate : {exe_dir() / ".." / "share" / "gazette" / "config" / "topics.toml",
                                  fs::path(GAZETTE_SOURCE_DIR) / "config" / "topics.toml"}) {
        if (fs::is_regular_file(candidate, ec)) {
            return candidate.string();
        }
    }
    return {};
}

int run(int argc, char** argv) {
    CLI::App app{"gazette-searchd: full-text search server for article archives"};
    std::string data_dir;
    std::string config_path;
    std::string listen;
    std::size_t threads = 0;
    std::string ready_file;
    std::string log_level;
    bool print_config = false;
    app.add_option("--data-dir", data_dir, "data directory (index generations, live.stub)");
    app.add_option("--config", config_path, "TOML configuration file");
    app.add_option("--listen", listen, "HOST:PORT to listen on (port 0 = any free port)");
    app.add_option("--threads", threads, "search worker threads (0 = one per core)");
    app.add_option("--ready-file", ready_file, "write the bound port to this file once listening");
    app.add_option("--log-level", log_level, "trace, debug, info, warn, error, critical, off");
    app.add_flag("--print-config", print_config, "print the effective configuration and exit");
    app.set_version_flag("--version", std::string("gazette-searchd ") + GAZETTE_VERSION);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int rc = app.exit(e);
        return rc == 0 ? 0 : 2;
    }

    auto loaded = gazette::load_config(config_path);
    if (!loaded) {
        std::cerr << "gazette-searchd: " << loaded.error().message << "\n";
        return 2;
    }
    gazette::Config config = std::move(*loaded);
    if (!data_dir.empty()) {
        config.data_dir = data_dir;
    }
    if (!listen.empty()) {
        config.searchd.listen = listen;
    }
    if (threads > 0) {
        config.searchd.threads = threads;
    }
    if (!log_level.empty()) {
        config.log_level = log_level;
    }
    config.topics_file = find_topics_file(config);
    if (print_config) {
        std::cout << gazette::config_to_toml(config);
        return 0;
    }
    if (auto ok = gazette::validate_config(config); !ok) {
        std::cerr << "gazette-searchd: " << ok.error().message << "\n";
        return 2;
    }
    auto hp = gazette::parse_listen(config.searchd.listen, "searchd.listen");
    if (!hp) {
        std::cerr << "gazette-searchd: " << hp.error().message << "\n";
        return 2;
    }
    gazette::init_logging(config.log_level);

    gazette::searchd::Engine engine(config);
    engine.start();
    gazette::searchd::api::Service service(config, engine,
                                           gazette::searchd::api::StaticFiles(find_static_dir(config)));

    gazette::httpd::ServerOptions options;
    options.host = hp->first;
    options.port = hp->second;
    // /search runs on the I/O thread that owns the connection (thread-per-core), so there are
    // as many I/O threads as search threads; the worker pool keeps the other index work.
    const std::size_t search_threads = config.searchd.threads > 0
                                           ? config.searchd.threads
                                           : std::max(1U, std::thread::hardware_concurrency());
    options.io_threads = std::max<std::size_t>({config.searchd.io_threads, search_threads, 1});
    options.max_body_bytes = config.limits.max_body_bytes_search;
    options.max_uri_bytes = config.limits.max_uri_bytes;
    options.max_header_bytes = config.limits.max_header_bytes;
    options.max_headers = config.limits.max_headers;
    options.max_connections = config.limits.max_connections;
    options.header_read_timeout_s = config.limits.header_read_timeout_s;
    options.body_read_timeout_s = config.limits.body_read_timeout_s;
    options.keep_alive_idle_s = config.limits.keep_alive_idle_s;
    options.io_spin_us = config.searchd.io_spin_us;
    options.server_name = std::string("gazette-searchd/") + GAZETTE_VERSION;
    options.on_access = [&service](const gazette::httpd::AccessRecord& r) { service.on_access(r); };

    gazette::httpd::Server server(options, [&service](gazette::httpd::Request&& request,
                                                      gazette::httpd::Responder respond) {
        service.handle(std::move(request), std::move(respond));
    });
    // SIGINT/SIGTERM: the server stops accepting and drains in-flight requests (asio
    // signal_set, no raw handler); then run() returns and the workers are joined below.
    server.handle_signals([](int signo) {
        gazette::logger("http")->info("signal {}: draining and stopping", signo);
    });
    try {
        server.start();
    } catch (const std::exception& e) {
        std::cerr << "gazette-searchd: cannot listen on " << config.searchd.listen << ": " << e.what()
                  << "\n";
        engine.stop();
        return 1;
    }
    service.set_connection_counter([&server] { return server.open_connections(); });

    std::cout << "listening on " << options.host << ":" << server.port() << std::endl;
    if (!ready_file.empty()) {
        gazette::write_file_atomic(ready_file, std::to_string(server.port()) + "\n");
    }
    gazette::logger("http")->info("listening on {}:{} data_dir={}", options.host, server.port(),
                                  config.data_dir);

    server.run();
    engine.stop();
    gazette::logger("http")->info("stopped");
    spdlog::shutdown();
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const gazette::ErrorException& e) {
        std::cerr << "gazette-searchd: " << e.error().message << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "gazette-searchd: fatal: " << e.what() << "\n";
        return 1;
    }
}
