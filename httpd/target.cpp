#include "httpd/detail/target.hpp"

namespace gazette::httpd::detail {
namespace {

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

bool starts_with_icase(std::string_view s, std::string_view prefix) noexcept {
    if (s.size() < prefix.size()) {
        return false;
    }
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
        if (c != prefix[i]) {
            return false;
        }
    }
    return true;
}

} // namespace

std::optional<std::string> percent_decode(std::string_view in, bool plus_is_space) {
    std::string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        const char c = in[i];
        if (c == '%') {
            if (i + 2 >= in.size()) {
                return std::nullopt; // fewer than two characters follow
            }
            const int hi = hex_value(in[i + 1]);
            const int lo = hex_value(in[i + 2]);
            if (hi < 0 || lo < 0) {
                return std::nullopt;
            }
            const char decoded = static_cast<char>(hi * 16 + lo);
            if (decoded == '\0') {
                return std::nullopt;
            }
            out.push_back(decoded);
            i += 2;
        } else if (c == '+' && plus_is_space) {
            out.push_back(' ');
        } else {
            out.push_back(c);
        }
    }
    return out;
}

Result<ParsedTarget> parse_target(std::string_view target) {
    bool absolute_without_path = false;
    std::string_view rest = target;
    if (starts_with_icase(rest, "http://") || starts_with_icase(rest, "https://")) {
        // absolute-form: drop scheme and authority; what follows may start with '?' or be empty,
        // both of which mean the root path
        const std::size_t authority = rest.find("://") + 3;
        const std::size_t slash = rest.find_first_of("/?#", authority);
        rest = slash == std::string_view::npos ? std::string_view("/") : rest.substr(slash);
        if (rest.front() != '/') {
            absolute_without_path = true;
        }
    }
    if (const std::size_t hash = rest.find('#'); hash != std::string_view::npos) {
        rest = rest.substr(0, hash);
    }
    if ((rest.empty() || rest.front() != '/') && !absolute_without_path) {
        return Error(ErrorCode::bad_request, "request target must start with '/'");
    }

    ParsedTarget parsed;
    const std::size_t qmark = rest.find('?');
    const std::string_view raw_path = rest.substr(0, qmark);
    parsed.raw_path = raw_path.empty() ? std::string("/") : std::string(raw_path);
    auto path = percent_decode(parsed.raw_path, false);
    if (!path) {
        return Error(ErrorCode::bad_request, "malformed percent-encoding in the path");
    }
    parsed.path = std::move(*path);

    if (qmark == std::string_view::npos) {
        return parsed;
    }
    std::string_view query = rest.substr(qmark + 1);
    while (!query.empty()) {
        const std::size_t amp = query.find('&');
        const std::string_view piece = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (piece.empty()) {
            continue;
        }
        const std::size_t eq = piece.find('=');
        auto key = percent_decode(piece.substr(0, eq), true);
        auto value = eq == std::string_view::npos ? std::optional<std::string>(std::string())
                                                  : percent_decode(piece.substr(eq + 1), true);
        if (!key || !value) {
            return Error(ErrorCode::bad_request, "malformed percent-encoding in the query string");
        }
        parsed.query.emplace_back(std::move(*key), std::move(*value));
    }
    return parsed;
}

} // namespace gazette::httpd::detail
