#pragma once
/// Cross-origin access to searchd's read-only endpoints (search, suggest, articles, trends,
/// export, topics, stats) for browsers on other sites, e.g. the embeddable widget.
///
/// The allow-list holds exact origins ("https://news.example") or "*" for any. An origin not
/// on the list gets no CORS headers at all (the browser then blocks the response); an
/// allowed origin is echoed (or "*" is answered for an any-origin list) with `Vary: Origin`.
/// With the default empty list nothing is ever added. Credentials (cookies) are never
/// allowed: keys travel in headers, which the preflight permits.
///
/// Thread-safety: immutable after construction.

#include "common/config.hpp"
#include "httpd/server.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gazette::searchd::api {

class Cors {
public:
    explicit Cors(const CorsConfig& config);

    /// Whether any origin is configured.
    bool enabled() const noexcept { return any_ || !origins_.empty(); }

    /// Whether `path` is a read-only endpoint that may be used cross-origin.
    static bool applies_to(std::string_view path);

    /// Whether `origin` is on the list.
    bool allowed(std::string_view origin) const;

    /// Headers to add to a response to a request from `origin` (none when not allowed or no
    /// Origin header was sent). Includes `Vary: Origin` whenever the list is not empty.
    std::vector<std::pair<std::string, std::string>> headers(
        const std::optional<std::string>& origin) const;

    /// The answer to a preflight `OPTIONS` on a CORS path: 204 with the allowed methods and
    /// headers for an allowed origin, a plain 204 (no CORS headers) otherwise.
    httpd::Response preflight(const std::optional<std::string>& origin) const;

private:
    bool any_ = false;
    std::vector<std::string> origins_;
};

} // namespace gazette::searchd::api
