#include "httpd/server.hpp"

namespace gazette::httpd {

std::optional<std::string> Request::param(std::string_view name) const {
    for (const auto& [key, value] : query) {
        if (key == name) {
            return value;
        }
    }
    return std::nullopt;
}

std::vector<std::string> Request::params(std::string_view name) const {
    std::vector<std::string> values;
    for (const auto& [key, value] : query) {
        if (key == name) {
            values.push_back(value);
        }
    }
    return values;
}

std::optional<std::string> Request::header(std::string_view name) const {
    // names are stored lower-cased; callers pass lower case (documented contract)
    for (const auto& [key, value] : headers) {
        if (key == name) {
            return value;
        }
    }
    return std::nullopt;
}

namespace {

std::string_view trim_blanks(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
        s.remove_suffix(1);
    }
    return s;
}

bool starts_with_bearer(std::string_view s) {
    constexpr std::string_view kBearer = "bearer ";
    if (s.size() < kBearer.size()) {
        return false;
    }
    for (std::size_t i = 0; i < kBearer.size(); ++i) {
        const char c = s[i] >= 'A' && s[i] <= 'Z' ? static_cast<char>(s[i] - 'A' + 'a') : s[i];
        if (c != kBearer[i]) {
            return false;
        }
    }
    return true;
}

} // namespace

std::optional<std::string> presented_api_key(const std::vector<std::pair<std::string, std::string>>& headers) {
    for (const auto& [name, value] : headers) {
        if (name == "authorization") {
            const std::string_view v = trim_blanks(value);
            // Another scheme (Basic, ...) is a presented but unusable credential: returned as
            // is, so that the key lookup fails and the caller answers 401.
            return std::string(starts_with_bearer(v) ? trim_blanks(v.substr(7)) : v);
        }
    }
    for (const auto& [name, value] : headers) {
        if (name == "x-api-key") {
            return std::string(trim_blanks(value));
        }
    }
    return std::nullopt;
}

} // namespace gazette::httpd
