#include "indexer/serve/admin_auth.hpp"

#include "httpd/server.hpp"

#include <algorithm>

namespace gazette::indexer::serve {

bool is_loopback_host(std::string_view host) {
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

std::string presented_key(const std::vector<std::pair<std::string, std::string>>& headers) {
    return httpd::presented_api_key(headers).value_or(std::string());
}

AdminAuth::AdminAuth(const Config& config, const std::string& listen_host) {
    keyring_.keys = config.keys;
    const auto& keys = keyring_.keys;
    const bool any_admin =
        std::any_of(keys.begin(), keys.end(), [](const ApiKey& k) { return k.has_scope("admin"); });
    open_ = keys.empty() && is_loopback_host(listen_host);
    locked_ = !any_admin && !open_;
}

std::optional<AuthFailure> AdminAuth::check(const std::vector<std::pair<std::string, std::string>>& headers) const {
    if (open_) {
        return std::nullopt;
    }
    if (locked_) {
        return AuthFailure{403, "forbidden",
                           "the admin API is disabled because no admin key is configured; add a [[keys]] entry "
                           "with scopes = [\"admin\"] to the config and reload (SIGHUP) or restart"};
    }
    const std::string key = presented_key(headers);
    if (key.empty()) {
        return AuthFailure{401, "unauthorized",
                           "an admin key is required: send 'Authorization: Bearer KEY' or 'X-API-Key: KEY'"};
    }
    const ApiKey* found = keyring_.find_key(key); // constant time against every key
    if (found == nullptr) {
        return AuthFailure{401, "unauthorized", "unknown API key"};
    }
    if (!found->has_scope("admin")) {
        return AuthFailure{403, "forbidden", "this key lacks the 'admin' scope"};
    }
    return std::nullopt;
}

} // namespace gazette::indexer::serve
