#pragma once
/// Who may use the admin API.
///
/// Policy (secure by default):
/// - /healthz, /readyz and /metrics need no key.
/// - Everything else needs a configured key with the `admin` scope, sent as
///   `Authorization: Bearer KEY` or `X-API-Key: KEY`, compared in constant time
///   (Config::find_key). No key or an unknown key is 401; a key without `admin` is 403.
/// - When no admin key is configured at all, the admin API is refused with 403 and a message
///   saying to configure one, EXCEPT when the config has no keys whatsoever and the admin API
///   listens on a loopback address: then it is open (a local development setup) and the
///   daemon logs a warning at startup. Configuring any key (even a search-only one) turns the
///   loopback exception off.
///
/// Thread-safety: immutable after construction; check() may run on any thread.

#include "common/config.hpp"

#include <optional>
#include <string>
#include <vector>

namespace gazette::indexer::serve {

struct AuthFailure {
    unsigned status = 401;
    std::string code;    ///< "unauthorized" or "forbidden"
    std::string message;
};

class AdminAuth {
public:
    /// `listen_host` is the host the admin API is bound to (decides the loopback exception).
    AdminAuth(const Config& config, const std::string& listen_host);

    /// nullopt when the request may proceed. `headers` are lower-cased name/value pairs.
    std::optional<AuthFailure> check(const std::vector<std::pair<std::string, std::string>>& headers) const;

    /// True when the loopback exception is in force (no keys, loopback listener).
    bool open_on_loopback() const noexcept { return open_; }
    /// True when no admin key exists and the exception does not apply (all refused).
    bool locked() const noexcept { return locked_; }

private:
    Config keyring_; ///< only `keys` is used: Config::find_key does the constant-time search
    bool open_ = false;
    bool locked_ = false;
};

/// True for 127.0.0.0/8, ::1 and "localhost".
bool is_loopback_host(std::string_view host);

/// The key a request presents (Bearer token, else X-API-Key), or empty.
std::string presented_key(const std::vector<std::pair<std::string, std::string>>& headers);

} // namespace gazette::indexer::serve
