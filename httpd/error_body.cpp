#include "httpd/server.hpp"

#include "common/text.hpp"

#include <boost/json.hpp>

namespace gazette::httpd {

std::string error_body(std::string_view code,
                       std::string_view message,
                       std::string_view request_id,
                       long position) {
    boost::json::object error;
    error["code"] = code;
    // Messages quote what the client sent (an id from the path, a field value); a JSON body
    // must stay valid UTF-8 whatever those bytes were.
    error["message"] = text::is_valid_utf8(message) ? std::string(message) : text::sanitize_utf8(message);
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
