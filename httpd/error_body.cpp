#include "httpd/server.hpp"

#include <boost/json.hpp>

namespace gazette::httpd {

std::string error_body(std::string_view code,
                       std::string_view message,
                       std::string_view request_id,
                       long position) {
    boost::json::object error;
    error["code"] = code;
    error["message"] = message;
    if (!request_id.empty()) {
        error["request_id"] = request_id;
    }
    if (position >= 0) {
        error["position"] = position;
    }
    boost::json::object root;
    root["error"] = std::move(error);
    return boost::json::serialize(root);
}

} // namespace gazette::httpd
