#include "searchd/api/access_control.hpp"

#include "searchd/api/errors.hpp"

#include <fmt/format.h>

namespace gazette::searchd::api {
namespace {

bool is_static_path(std::string_view path) {
    if (path == "/") {
        return true;
    }
    if (path.rfind("/articles/", 0) == 0) {
        return false;
    }
    const auto slash = path.rfind('/');
    const std::string_view last = slash == std::string_view::npos ? path : path.substr(slash + 1);
    return last.find('.') != std::string_view::npos;
}

} // namespace

std::optional<std::string> AccessControl::presented_key(const httpd::Request& request) {
    return httpd::presented_api_key(request.headers);
}

Caller AccessControl::identify(const httpd::Request& request) const {
    Caller c;
    if (auto key = presented_key(request)) {
        c.presented = true;
        c.key = config_.find_key(*key);
    }
    if (c.key != nullptr) {
        // Keys without a name are told apart by their position in the config.
        c.client = c.key->name.empty()
                       ? "key:#" + std::to_string(static_cast<std::size_t>(c.key - config_.keys.data()))
                       : "key:" + c.key->name;
    } else {
        c.client = "ip:" + request.remote_ip;
    }
    return c;
}

Result<void> AccessControl::authorize(const Caller& caller, Scope scope) const {
    if (scope == Scope::none) {
        return {};
    }
    if (caller.presented && caller.key == nullptr) {
        return Error(ErrorCode::unauthorized, "unknown API key");
    }
    if (caller.key == nullptr) {
        if (scope == Scope::search && config_.searchd.open_search) {
            return {};
        }
        return Error(ErrorCode::unauthorized,
                     "an API key is required (Authorization: Bearer KEY or X-API-Key: KEY)");
    }
    const std::string_view needed = scope == Scope::admin ? "admin" : "search";
    if (!caller.key->has_scope(needed)) {
        return Error(ErrorCode::forbidden, fmt::format("this API key lacks the '{}' scope", needed));
    }
    return {};
}

Scope AccessControl::required_scope(std::string_view path) {
    if (path == "/healthz" || path == "/readyz" || path == "/metrics") {
        return Scope::none;
    }
    if (path.rfind("/admin/", 0) == 0) {
        return Scope::admin;
    }
    if (is_static_path(path)) {
        return Scope::none;
    }
    return Scope::search;
}

httpd::Response access_denied_response(const Error& error, std::string_view request_id) {
    httpd::Response r = error_response(error, request_id);
    if (r.status == 401) {
        r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"gazette\"");
    }
    return r;
}

} // namespace gazette::searchd::api
