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

} // namespace gazette::httpd
