#include "httpd/detail/head_check.hpp"

#include <boost/asio/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>

#include <limits>

namespace gazette::httpd::detail {
namespace http = boost::beast::http;

namespace {

/// Bytes around the target on a request line: method, spaces, "HTTP/1.1", CRLF.
constexpr std::size_t request_line_overhead = 64;

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
        s.remove_suffix(1);
    }
    return s;
}

HeadFailure uri_too_long(const ServerOptions& options) {
    return {414,
            ErrorCode::too_large,
            "request URI longer than " + std::to_string(options.max_uri_bytes) + " bytes"};
}

HeadFailure headers_too_large(const ServerOptions& options) {
    return {431,
            ErrorCode::too_large,
            "request headers larger than " + std::to_string(options.max_header_bytes) +
                " bytes or more than " + std::to_string(options.max_headers) + " fields"};
}

/// True when the buffered request line is well formed but names an HTTP version Beast refuses
/// ("GET / HTTP/2.0"): that deserves 505, while a garbled version is a plain 400.
bool is_other_http_version(std::string_view unparsed) noexcept {
    const std::size_t eol = unparsed.find("\r\n");
    if (eol == std::string_view::npos) {
        return false;
    }
    const std::string_view line = unparsed.substr(0, eol);
    constexpr std::string_view prefix = " HTTP/";
    if (line.size() < prefix.size() + 3) {
        return false;
    }
    const std::string_view version = line.substr(line.size() - prefix.size() - 3);
    const auto digit = [](char c) { return c >= '0' && c <= '9'; };
    return version.substr(0, prefix.size()) == prefix && digit(version[prefix.size()]) &&
           version[prefix.size() + 1] == '.' && digit(version[prefix.size() + 2]);
}

} // namespace

std::uint32_t parser_header_limit(const ServerOptions& options) noexcept {
    const std::size_t limit =
        options.max_header_bytes + options.max_uri_bytes + request_line_overhead;
    constexpr std::size_t cap = std::numeric_limits<std::uint32_t>::max();
    return static_cast<std::uint32_t>(limit < cap ? limit : cap);
}

std::optional<HeadFailure> classify_read_error(const boost::beast::error_code& ec,
                                               std::string_view unparsed,
                                               std::optional<std::size_t> parsed_target_size,
                                               const ServerOptions& options) {
    if (ec == http::error::header_limit) {
        // Beast consumes the request line before the fields; if it never got that far, the
        // request line itself was too long
        if (!parsed_target_size || *parsed_target_size > options.max_uri_bytes) {
            return uri_too_long(options);
        }
        return headers_too_large(options);
    }
    if (ec == http::error::bad_version && is_other_http_version(unparsed)) {
        return HeadFailure{505, ErrorCode::unsupported, "only HTTP/1.0 and HTTP/1.1 are supported"};
    }
    if (ec == http::error::body_limit) {
        return HeadFailure{413,
                           ErrorCode::too_large,
                           "request body larger than " + std::to_string(options.max_body_bytes) +
                               " bytes"};
    }
    if (ec == http::error::end_of_stream || ec == http::error::partial_message) {
        return std::nullopt; // the client went away
    }
    if (ec.category() == http::make_error_code(http::error::bad_method).category()) {
        return HeadFailure{400, ErrorCode::bad_request, "malformed request: " + ec.message()};
    }
    return std::nullopt; // socket errors and timeouts: nobody to answer
}

std::optional<HeadFailure> check_head(const http::request_header<>& head,
                                      const ServerOptions& options) {
    if (head.version() != 10 && head.version() != 11) {
        return HeadFailure{505, ErrorCode::unsupported, "only HTTP/1.0 and HTTP/1.1 are supported"};
    }
    if (head.target().size() > options.max_uri_bytes) {
        return uri_too_long(options);
    }
    std::size_t count = 0;
    std::size_t bytes = 0;
    for (const auto& field : head) {
        ++count;
        bytes += field.name_string().size() + field.value().size() + 4; // ": " and CRLF
    }
    if (count > options.max_headers || bytes > options.max_header_bytes) {
        return headers_too_large(options);
    }
    if (head.version() == 11 && head.find(http::field::host) == head.end()) {
        return HeadFailure{400, ErrorCode::bad_request, "HTTP/1.1 request without Host header"};
    }
    if (head.count(http::field::transfer_encoding) > 1) {
        return HeadFailure{400, ErrorCode::bad_request, "repeated Transfer-Encoding header"};
    }
    if (auto te = head.find(http::field::transfer_encoding); te != head.end()) {
        if (!boost::beast::iequals(trim(te->value()), "chunked")) {
            return HeadFailure{400,
                               ErrorCode::bad_request,
                               "unsupported Transfer-Encoding (only chunked is accepted)"};
        }
        if (head.find(http::field::content_length) != head.end()) {
            return HeadFailure{
                400, ErrorCode::bad_request, "Transfer-Encoding together with Content-Length"};
        }
    }
    return std::nullopt;
}

} // namespace gazette::httpd::detail
