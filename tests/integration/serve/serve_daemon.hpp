#pragma once
/// Test support: a temp data directory, the real `gazette-indexer serve` in its own process
/// group, and a tiny blocking HTTP/1.1 client over raw sockets.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <sys/types.h>
#include <utility>
#include <vector>

namespace gazette::test {

/// A fresh directory under $TMPDIR (or /tmp), removed with everything in it.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const noexcept { return path_; }

private:
    std::filesystem::path path_;
};

struct HttpResponse {
    int status = 0; ///< 0 when the request failed (connection refused, reset, timeout)
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers; ///< names lower-cased
};

/// One request on a fresh connection (Connection: close). Never throws for network errors.
HttpResponse http_request(unsigned short port, const std::string& method, const std::string& target,
                          const std::vector<std::pair<std::string, std::string>>& headers = {},
                          const std::string& body = {}, std::chrono::milliseconds timeout = std::chrono::seconds(10));

inline constexpr const char* kAdminKey = "integration-admin-key-0123456789";

/// A serve daemon on 127.0.0.1:0 over `dir`/data with a config holding an admin key.
class ServeDaemon {
public:
    explicit ServeDaemon(std::filesystem::path dir, unsigned commit_interval_ms = 200);
    ~ServeDaemon(); ///< SIGKILLs the group if still running
    ServeDaemon(const ServeDaemon&) = delete;
    ServeDaemon& operator=(const ServeDaemon&) = delete;

    /// Starts the process and waits for the ready file (throws std::runtime_error on timeout).
    void start();
    /// Waits until GET /readyz answers 200. False on timeout.
    bool wait_ready(std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;
    /// SIGKILL to the process group, then reaps it.
    void kill9();
    /// SIGTERM and wait; returns the exit status (-1 when it did not exit in `timeout`, or
    /// died by a signal).
    int terminate(std::chrono::milliseconds timeout = std::chrono::seconds(15));
    /// Sends a signal without waiting.
    void signal(int signo) const;

    unsigned short port() const noexcept { return port_; }
    bool running() const noexcept { return pid_ > 0; }
    std::filesystem::path data_dir() const { return dir_ / "data"; }
    std::filesystem::path config_path() const { return dir_ / "gazette.toml"; }
    /// The daemon's stderr so far (for failure messages).
    std::string log() const;

    /// Convenience: authenticated admin request.
    HttpResponse admin(const std::string& method, const std::string& target, const std::string& body = {},
                       const std::string& content_type = "application/x-ndjson") const;

private:
    std::filesystem::path dir_;
    pid_t pid_ = -1;
    unsigned short port_ = 0;
    int starts_ = 0;
};

/// termfreq of Q<id> in a fresh read-only open of DATA/live.stub (0 when absent).
unsigned id_count(const std::filesystem::path& data_dir, const std::string& id);

/// One NDJSON line of a valid article.
std::string article_line(const std::string& id, const std::string& words = "gas pipeline sanctions");

} // namespace gazette::test
