#pragma once
/// State shared by the Server, its listener and every session. Sessions hold it by
/// shared_ptr, so it outlives the io_context and any responder a worker thread still keeps.

#include "httpd/detail/request_id.hpp"
#include "httpd/server.hpp"

#include <spdlog/logger.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace gazette::httpd::detail {

class Session;

struct ServerState {
    ServerState(ServerOptions opts, Handler h);

    const ServerOptions options;
    const Handler handler;
    RequestIdGenerator ids;
    std::shared_ptr<spdlog::logger> log;
    std::atomic<std::size_t> open_connections{0};
    std::atomic<bool> draining{false};

    /// Runs `post` under the gate while the io_context is alive; false once it is closed.
    /// Foreign threads (responders, chunk deliveries) post only through here, because posting
    /// to a destroyed io_context is undefined behaviour.
    template <class F> bool post_if_alive(F&& post) {
        std::lock_guard lock(gate_mutex_);
        if (!alive_) {
            return false;
        }
        std::forward<F>(post)();
        return true;
    }
    /// Closes the gate for good (the Server is going away).
    void close_gate();

    std::uint64_t register_session(std::weak_ptr<Session> session);
    void unregister_session(std::uint64_t id) noexcept;
    /// Every session still alive, for draining and shutdown.
    std::vector<std::shared_ptr<Session>> live_sessions();

    /// on_access callback, or one access log line. Never throws.
    void record_access(const AccessRecord& record) noexcept;

private:
    std::mutex gate_mutex_;
    bool alive_ = true;
    std::mutex registry_mutex_;
    std::uint64_t next_session_id_ = 0;
    std::unordered_map<std::uint64_t, std::weak_ptr<Session>> sessions_;
};

} // namespace gazette::httpd::detail
