#pragma once
/// The status line and header block of a plain (not streamed) response, written by hand.
///
/// Beast's response<string_body> + serializer cost ~3% of a small search's CPU: one heap node
/// per header field and a deep stack of buffer-sequence adaptors for a ~200-byte header. The
/// bytes are the ones Beast writes for the same message (tested against Beast's own
/// serializer), so this is an implementation detail, not a protocol change.

#include "httpd/server.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace gazette::httpd::detail {

struct HeadFields {
    unsigned version = 11;       ///< 10 or 11
    unsigned status = 200;
    const std::string* server = nullptr;     ///< Server header; null = none
    const std::string* request_id = nullptr; ///< X-Request-Id; null = none
    bool keep_alive = true;
    std::optional<std::size_t> content_length; ///< nullopt = no Content-Length
};

/// Content-Length, Transfer-Encoding and Connection: framing belongs to the server, so a handler
/// header with one of these names is never written (plain and streamed responses alike).
bool is_framing_header(std::string_view name) noexcept;

/// Appends "HTTP/1.x NNN Reason\r\n", the headers and the blank line to `out`.
/// Handler headers that would set the framing (Content-Length, Transfer-Encoding, Connection)
/// are dropped, a handler Content-Type replaces the response's, and a name or value holding
/// CR, LF or NUL is dropped (no header injection).
void append_response_head(std::string& out, const HeadFields& head, const Response& response);

} // namespace gazette::httpd::detail
