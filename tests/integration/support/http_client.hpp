#pragma once
// A deliberately small blocking HTTP/1.1 client for tests (one request per connection unless
// raw() is used), so that tests exercise the real server through a real socket.

#include <map>
#include <string>
#include <vector>

namespace gazette::test {

struct HttpResponse {
    int status = 0;
    std::map<std::string, std::string> headers; ///< lower-cased names
    std::string body;
    std::string header(const std::string& name) const {
        auto it = headers.find(name);
        return it == headers.end() ? std::string() : it->second;
    }
};

/// Sends one request with Connection: close and reads the whole response (chunked or not).
HttpResponse http_request(unsigned short port, const std::string& method, const std::string& target,
                          const std::string& body = {},
                          const std::vector<std::pair<std::string, std::string>>& headers = {});

inline HttpResponse http_get(unsigned short port, const std::string& target) {
    return http_request(port, "GET", target);
}

/// Sends raw bytes and returns everything the server sends back until it closes (or timeout).
std::string http_raw(unsigned short port, const std::string& bytes, int timeout_ms = 5000);

/// Parses a raw HTTP response (as returned by http_raw).
HttpResponse parse_response(const std::string& raw);

/// Percent-encodes a query-string value.
std::string url_encode(const std::string& s);

} // namespace gazette::test
