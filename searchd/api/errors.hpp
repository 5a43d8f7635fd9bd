#pragma once
/// The one place where domain errors become HTTP responses (SPEC "Errors").

#include "common/error.hpp"
#include "httpd/server.hpp"

#include <string_view>

namespace gazette::searchd::api {

/// HTTP status for an error code: bad input 400, too_large 413, not_found 404,
/// overloaded/timeout/not_ready 503, internal 500, ...
unsigned http_status(ErrorCode code) noexcept;

/// `{"error":{"code":..,"message":..,"field"?,"position"?,"request_id"?}}` with the fitting
/// status. Internal errors carry the request id and a generic message (details only in the
/// log); 503 answers carry Retry-After.
httpd::Response error_response(const Error& error, std::string_view request_id);

/// A JSON response with status 200 (or `status`).
httpd::Response json_response(std::string body, unsigned status = 200);

} // namespace gazette::searchd::api
