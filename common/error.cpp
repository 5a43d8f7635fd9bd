#include "common/error.hpp"

namespace gazette {

const char* error_code_name(ErrorCode code) noexcept {
    switch (code) {
    case ErrorCode::bad_request: return "bad_request";
    case ErrorCode::bad_query: return "bad_query";
    case ErrorCode::bad_json: return "bad_json";
    case ErrorCode::bad_utf8: return "bad_utf8";
    case ErrorCode::bad_article: return "bad_article";
    case ErrorCode::too_large: return "too_large";
    case ErrorCode::too_complex: return "too_complex";
    case ErrorCode::not_found: return "not_found";
    case ErrorCode::bad_config: return "bad_config";
    case ErrorCode::unsupported: return "unsupported";
    case ErrorCode::unauthorized: return "unauthorized";
    case ErrorCode::forbidden: return "forbidden";
    case ErrorCode::rate_limited: return "rate_limited";
    case ErrorCode::overloaded: return "overloaded";
    case ErrorCode::timeout: return "timeout";
    case ErrorCode::not_ready: return "not_ready";
    case ErrorCode::conflict: return "conflict";
    case ErrorCode::internal: return "internal";
    }
    return "internal";
}

void throw_exception_from_error(const Error& e, const boost::source_location&) {
    throw ErrorException(e);
}

} // namespace gazette
