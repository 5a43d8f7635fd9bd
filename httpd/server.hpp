#pragma once
/// A small asynchronous HTTP/1.1 server on Boost.Beast, shared by gazette-searchd and the
/// indexer's admin API. Transport only: it knows nothing of search or indexing.
/// Handlers see plain structs (Request/Response); Beast types never leave httpd/*.cpp.
///
/// Threading: `io_threads` io_contexts, each run by one thread (thread-per-core); accepted
/// connections are spread over them round-robin and stay on theirs, each with its own strand.
/// A handler is called on its connection's I/O thread and must not block for long: it either
/// answers at once (short CPU work, such as a search, is fine) or hands the work to a worker
/// pool and calls `respond` later, from any thread (the server posts the response back to the
/// connection's strand). A slow in-handler answer delays only the connections of that thread.

#include "common/config.hpp"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gazette::httpd {

struct Request {
    std::string method;       ///< "GET", "POST", ...
    std::string target;       ///< raw target as received ("/search?q=a%20b")
    std::string path;         ///< percent-decoded path without the query ("/articles/a/b")
    std::string raw_path;     ///< path as received, still percent-encoded
    std::vector<std::pair<std::string, std::string>> query; ///< decoded, in order, repeats kept
    std::vector<std::pair<std::string, std::string>> headers; ///< names lower-cased
    std::string body;
    std::string remote_ip;
    std::string request_id;   ///< unique per request, for logs and error bodies
    std::int64_t received_ns = 0; ///< steady_clock time the headers were complete

    /// First value of a query parameter, if present.
    std::optional<std::string> param(std::string_view name) const;
    /// Every value of a repeatable query parameter.
    std::vector<std::string> params(std::string_view name) const;
    /// First value of a header (name in lower case), if present.
    std::optional<std::string> header(std::string_view name) const;
};

/// Pull-based body producer for streamed (chunked) responses such as exports.
/// `next` is called on the connection's strand after the previous chunk was written; it must
/// eventually call `deliver(chunk, last)` exactly once, from any thread. Returning chunks one
/// at a time keeps memory constant whatever the response size.
class ChunkSource {
public:
    virtual ~ChunkSource() = default;
    virtual void next(std::function<void(std::string chunk, bool last)> deliver) = 0;
    /// Called once if the client disconnects before the last chunk.
    virtual void cancel() {}
};

struct Response {
    unsigned status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers; ///< extra headers
    std::shared_ptr<ChunkSource> stream; ///< when set, body is ignored and the reply is chunked
    bool close = false;                  ///< close the connection after this response
};

using Responder = std::function<void(Response)>;
using Handler = std::function<void(Request&& request, Responder respond)>;

/// Called once per finished request (access log, metrics).
struct AccessRecord {
    std::string request_id;
    std::string method;
    std::string target; ///< truncated
    std::string remote_ip;
    unsigned status = 0;
    std::size_t bytes = 0;
    double latency_ms = 0;
};

struct ServerOptions {
    std::string host = "127.0.0.1";
    unsigned short port = 8080;       ///< 0 = ephemeral
    std::size_t io_threads = 1;
    std::size_t max_body_bytes = 64 * 1024;
    std::size_t max_uri_bytes = 8 * 1024;
    std::size_t max_header_bytes = 16 * 1024;
    std::size_t max_headers = 100;
    std::size_t max_connections = 1024;
    std::uint32_t header_read_timeout_s = 10;
    std::uint32_t body_read_timeout_s = 30;
    std::uint32_t keep_alive_idle_s = 60;
    /// After handling events, an I/O thread polls for this long before sleeping in epoll
    /// (0 = never spin). Cuts a keep-alive request's latency by the thread wake-up cost.
    std::uint32_t io_spin_us = 0;
    std::string server_name = "gazette";
    std::function<void(const AccessRecord&)> on_access; ///< optional
};

class Server {
public:
    Server(ServerOptions options, Handler handler);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    /// Binds and starts listening. Throws std::system_error when the address is unusable.
    void start();
    /// The bound port (after start()); useful with port 0.
    unsigned short port() const noexcept;
    /// Runs the I/O threads until stop(); returns after in-flight requests have been answered
    /// (or `drain_timeout_s` passed). Uses the calling thread plus `io_threads - 1` more.
    /// The Server may be destroyed from another thread while run() is active: the destructor
    /// stops the io_context and waits for run() to return.
    void run();
    /// Stops accepting, lets in-flight requests finish, then ends run(). Thread- and
    /// signal-context-safe (posts to the io_context).
    void stop(std::uint32_t drain_timeout_s = 10);
    /// Open connections right now (for metrics).
    std::size_t open_connections() const noexcept;

    /// Handles SIGINT, SIGTERM and SIGHUP through the io_context (no raw signal handlers).
    /// SIGINT/SIGTERM call `on_signal(signo)` and then stop(drain_timeout_s); a second one
    /// during the drain stops at once. SIGHUP only calls `on_signal` (e.g. to reload).
    /// The callback runs on an I/O thread and must not block. Call once, before run().
    void handle_signals(std::function<void(int)> on_signal, std::uint32_t drain_timeout_s = 10);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// The API key a request presents: `Authorization: Bearer KEY` (scheme case-insensitive) or
/// `X-API-Key: KEY`; Authorization wins when both are sent. Another Authorization scheme is
/// returned as is (presented but unusable, so key lookup fails). nullopt when none is sent.
/// `headers` have lower-cased names, as in Request::headers.
std::optional<std::string> presented_api_key(const std::vector<std::pair<std::string, std::string>>& headers);

/// Builds `{"error":{"code":..,"message":..}}` with a JSON serializer (plus optional fields).
std::string error_body(std::string_view code, std::string_view message,
                       std::string_view request_id = {}, long position = -1);

} // namespace gazette::httpd
