#include "httpd/detail/server_state.hpp"

#include "common/logging.hpp"

namespace gazette::httpd::detail {

ServerState::ServerState(ServerOptions opts, Handler h)
    : options(std::move(opts)), handler(std::move(h)), log(gazette::logger("http")) {}

void ServerState::close_gate() {
    std::lock_guard lock(gate_mutex_);
    alive_ = false;
}

std::uint64_t ServerState::register_session(std::weak_ptr<Session> session) {
    std::lock_guard lock(registry_mutex_);
    const std::uint64_t id = ++next_session_id_;
    sessions_.emplace(id, std::move(session));
    return id;
}

void ServerState::unregister_session(std::uint64_t id) noexcept {
    std::lock_guard lock(registry_mutex_);
    sessions_.erase(id);
}

std::vector<std::shared_ptr<Session>> ServerState::live_sessions() {
    std::vector<std::shared_ptr<Session>> live;
    std::lock_guard lock(registry_mutex_);
    live.reserve(sessions_.size());
    for (const auto& [id, weak] : sessions_) {
        if (auto session = weak.lock()) {
            live.push_back(std::move(session));
        }
    }
    return live;
}

void ServerState::record_access(const AccessRecord& record) noexcept {
    try {
        if (options.on_access) {
            options.on_access(record);
            return;
        }
        log->info("access request_id={} method={} target={} remote={} status={} bytes={} "
                  "latency_ms={:.3f}",
                  record.request_id,
                  record.method,
                  record.target,
                  record.remote_ip,
                  record.status,
                  record.bytes,
                  record.latency_ms);
    } catch (const std::exception& e) {
        try {
            log->error("access callback failed: {}", e.what());
        } catch (...) { // NOLINT(bugprone-empty-catch): logging itself failed; nothing to do
        }
    } catch (...) { // NOLINT(bugprone-empty-catch): a foreign exception type; never escape
    }
}

} // namespace gazette::httpd::detail
