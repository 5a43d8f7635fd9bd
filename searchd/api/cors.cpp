#include "searchd/api/cors.hpp"

namespace gazette::searchd::api {
namespace {

/// Browsers cache a preflight for at most this long (Chromium caps it at 2 hours).
constexpr std::string_view kMaxAgeSeconds = "600";

} // namespace

Cors::Cors(const CorsConfig& config) {
    for (const auto& o : config.origins) {
        if (o == "*") {
            any_ = true;
        } else if (!o.empty()) {
            // Origins are compared as sent by browsers: scheme://host[:port], no trailing slash.
            std::string clean = o;
            while (!clean.empty() && clean.back() == '/') {
                clean.pop_back();
            }
            origins_.push_back(std::move(clean));
        }
    }
}

bool Cors::applies_to(std::string_view path) {
    for (const std::string_view exact :
         {"/search", "/suggest", "/trends", "/export", "/topics", "/stats"}) {
        if (path == exact) {
            return true;
        }
    }
    return path.rfind("/articles/", 0) == 0;
}

bool Cors::allowed(std::string_view origin) const {
    if (origin.empty()) {
        return false;
    }
    if (any_) {
        return true;
    }
    for (const auto& o : origins_) {
        if (o == origin) {
            return true;
        }
    }
    return false;
}

std::vector<std::pair<std::string, std::string>> Cors::headers(
    const std::optional<std::string>& origin) const {
    std::vector<std::pair<std::string, std::string>> h;
    if (!enabled()) {
        return h;
    }
    // Vary even when refused, so a shared cache never hands one origin's answer to another.
    h.emplace_back("Vary", "Origin");
    if (!origin || !allowed(*origin)) {
        return h;
    }
    h.emplace_back("Access-Control-Allow-Origin", any_ ? std::string("*") : *origin);
    h.emplace_back("Access-Control-Expose-Headers", "Retry-After, X-Request-Id");
    return h;
}

httpd::Response Cors::preflight(const std::optional<std::string>& origin) const {
    httpd::Response r;
    r.status = 204;
    r.content_type.clear();
    r.headers = headers(origin);
    r.headers.emplace_back("Allow", "GET, HEAD, POST, OPTIONS");
    if (origin && allowed(*origin)) {
        r.headers.emplace_back("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
        r.headers.emplace_back("Access-Control-Allow-Headers", "Authorization, Content-Type, X-API-Key");
        r.headers.emplace_back("Access-Control-Max-Age", std::string(kMaxAgeSeconds));
    }
    return r;
}

} // namespace gazette::searchd::api
