#pragma once
/// API keys and scopes for searchd requests.
///
/// A key is read from `Authorization: Bearer KEY` or `X-API-Key: KEY` and looked up with
/// Config::find_key (constant time over every configured key). Search endpoints accept
/// requests without a key when `searchd.open_search` is true; a key that is given but
/// unknown is refused even then, so a typo never silently downgrades a client. Admin
/// endpoints always need a key with the `admin` scope (`admin` implies `search`).
///
/// Thread-safety: immutable after construction.

#include "common/config.hpp"
#include "common/error.hpp"
#include "httpd/server.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace gazette::searchd::api {

enum class Scope { none, search, admin };

/// The outcome of looking at a request's credentials.
struct Caller {
    const ApiKey* key = nullptr; ///< the matching key, or null (no key, or unknown)
    bool presented = false;      ///< a key header was present
    /// Identity for rate limiting: "key:<name>" for a known key, else "ip:<address>".
    std::string client;
};

class AccessControl {
public:
    /// `config` must outlive the object.
    explicit AccessControl(const Config& config) : config_(config) {}

    /// The key a request presents, if any (Bearer token or X-API-Key), trimmed.
    static std::optional<std::string> presented_key(const httpd::Request& request);

    /// Identifies the caller (no decision yet).
    Caller identify(const httpd::Request& request) const;

    /// Checks that `caller` may use an endpoint needing `scope`.
    /// Errors: unauthorized (missing or unknown key), forbidden (key lacks the scope).
    [[nodiscard]] Result<void> authorize(const Caller& caller, Scope scope) const;

    /// The scope a path needs: none for /healthz, /readyz, /metrics and static files,
    /// admin under /admin/, search for everything else.
    static Scope required_scope(std::string_view path);

private:
    const Config& config_;
};

/// The 401/403 response for an authorization error (adds `WWW-Authenticate: Bearer` to 401).
httpd::Response access_denied_response(const Error& error, std::string_view request_id);

} // namespace gazette::searchd::api
