#include "searchd/api/errors.hpp"

#include <boost/json.hpp>

namespace gazette::searchd::api {

unsigned http_status(ErrorCode code) noexcept {
    switch (code) {
    case ErrorCode::bad_request:
    case ErrorCode::bad_query:
    case ErrorCode::bad_json:
    case ErrorCode::bad_utf8:
    case ErrorCode::bad_article:
    case ErrorCode::too_complex:
        return 400;
    case ErrorCode::unauthorized:
        return 401;
    case ErrorCode::forbidden:
        return 403;
    case ErrorCode::not_found:
        return 404;
    case ErrorCode::conflict:
        return 409;
    case ErrorCode::too_large:
        return 413;
    case ErrorCode::unsupported:
        return 415;
    case ErrorCode::rate_limited:
        return 429;
    case ErrorCode::overloaded:
    case ErrorCode::timeout:
    case ErrorCode::not_ready:
        return 503;
    case ErrorCode::bad_config:
    case ErrorCode::internal:
        return 500;
    }
    return 500;
}

httpd::Response error_response(const Error& error, std::string_view request_id) {
    boost::json::object inner;
    inner["code"] = error_code_name(error.code);
    const unsigned status = http_status(error.code);
    if (status == 500) {
        inner["message"] = "internal error; see the server log for this request id";
    } else {
        inner["message"] = error.message;
    }
    if (!error.location.empty()) {
        inner["field"] = error.location;
    }
    if (error.position >= 0) {
        inner["position"] = error.position;
    }
    if (!request_id.empty()) {
        inner["request_id"] = request_id;
    }
    boost::json::object outer;
    outer["error"] = std::move(inner);
    httpd::Response r;
    r.status = status;
    r.body = boost::json::serialize(outer);
    if (status == 503) {
        r.headers.emplace_back("Retry-After", "1");
    }
    return r;
}

httpd::Response json_response(std::string body, unsigned status) {
    httpd::Response r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

} // namespace gazette::searchd::api
