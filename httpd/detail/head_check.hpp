#pragma once
/// Checks done by the server before any handler sees a request: read errors mapped to
/// statuses (413/414/431/400) and the header rules of SPEC.md (505, Host, smuggling, limits).

#include "common/error.hpp"
#include "httpd/server.hpp"

#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace gazette::httpd::detail {

/// A request refused by the server itself; always answered with `Connection: close`.
struct HeadFailure {
    unsigned status = 400;
    ErrorCode code = ErrorCode::bad_request;
    std::string message;
};

/// Header limit handed to Beast's parser: the request line is budgeted apart from the header
/// fields, so that a long URI is told apart (414) from large headers (431).
std::uint32_t parser_header_limit(const ServerOptions& options) noexcept;

/// Maps an error from reading a request to the answer owed to the client, or nullopt when
/// the connection should just be closed (EOF, timeout, reset, shutdown).
/// `unparsed` is what is buffered but not yet parsed (it starts with the request line when
/// that line was refused); `parsed_target_size` is the target's size once Beast has parsed
/// the request line, which tells a long URI (414) from large header fields (431).
std::optional<HeadFailure> classify_read_error(const boost::beast::error_code& ec,
                                               std::string_view unparsed,
                                               std::optional<std::size_t> parsed_target_size,
                                               const ServerOptions& options);

/// Checks a complete request header against SPEC.md: HTTP version (505), URI length (414),
/// header count and size (431), Host on HTTP/1.1 (400), Transfer-Encoding other than exactly
/// "chunked" (400; Beast already rejects TE together with Content-Length).
std::optional<HeadFailure> check_head(const boost::beast::http::request_header<>& head,
                                      const ServerOptions& options);

} // namespace gazette::httpd::detail
