#include "httpd/detail/response_head.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/status.hpp>

#include <string_view>

namespace gazette::httpd::detail {
namespace {

namespace http = boost::beast::http;

bool safe(std::string_view s) {
    return s.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

void field(std::string& out, std::string_view name, std::string_view value) {
    out.append(name);
    out.append(": ");
    out.append(value);
    out.append("\r\n");
}

} // namespace

bool is_framing_header(std::string_view name) noexcept {
    return boost::beast::iequals(name, "content-length") || boost::beast::iequals(name, "transfer-encoding") ||
           boost::beast::iequals(name, "connection");
}

void append_response_head(std::string& out, const HeadFields& head, const Response& response) {
    out.append(head.version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
    out.append(std::to_string(head.status));
    out.push_back(' ');
    const auto reason = http::obsolete_reason(static_cast<http::status>(head.status));
    out.append(reason.data(), reason.size());
    out.append("\r\n");
    if (head.server != nullptr && safe(*head.server)) {
        field(out, "Server", *head.server);
    }
    if (head.request_id != nullptr && safe(*head.request_id)) {
        field(out, "X-Request-Id", *head.request_id);
    }
    // A handler Content-Type replaces the response's at the handler header's position (the
    // last one wins), as Beast's fields::set does.
    std::size_t last_type = response.headers.size();
    for (std::size_t i = 0; i < response.headers.size(); ++i) {
        const auto& [name, value] = response.headers[i];
        if (boost::beast::iequals(name, "content-type") && safe(value)) {
            last_type = i;
        }
    }
    if (last_type == response.headers.size() && !response.content_type.empty() && safe(response.content_type)) {
        field(out, "Content-Type", response.content_type);
    }
    for (std::size_t i = 0; i < response.headers.size(); ++i) {
        const auto& [name, value] = response.headers[i];
        if (i == last_type) {
            field(out, "Content-Type", value);
            continue;
        }
        if (name.empty() || is_framing_header(name) || boost::beast::iequals(name, "content-type") || !safe(name) ||
            !safe(value) || name.find_first_of(" :\t") != std::string::npos) {
            continue;
        }
        field(out, name, value);
    }
    // HTTP/1.1 keeps the connection unless told otherwise; HTTP/1.0 closes unless told.
    if (head.version == 11 && !head.keep_alive) {
        field(out, "Connection", "close");
    } else if (head.version == 10 && head.keep_alive) {
        field(out, "Connection", "keep-alive");
    }
    if (head.content_length) {
        field(out, "Content-Length", std::to_string(*head.content_length));
    }
    out.append("\r\n");
}

} // namespace gazette::httpd::detail
