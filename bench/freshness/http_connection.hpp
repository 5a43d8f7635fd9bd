#pragma once
/// A minimal blocking HTTP/1.1 keep-alive connection to a loopback port, for the freshness
/// benchmark: GET and POST with a body, responses with Content-Length or chunked bodies.
/// One connection per thread; not thread-safe.

#include <string>
#include <string_view>

namespace gazette::bench {

struct HttpReply {
    int status = 0;
    std::string body;
};

class HttpConnection {
public:
    explicit HttpConnection(int port);
    ~HttpConnection();
    HttpConnection(const HttpConnection&) = delete;
    HttpConnection& operator=(const HttpConnection&) = delete;

    /// Sends one request and reads its response; reconnects once when the server had closed
    /// the idle connection. `extra_headers` are complete lines, each ending in "\r\n".
    /// Throws std::runtime_error on socket or protocol errors.
    HttpReply request(std::string_view method, std::string_view target, std::string_view extra_headers = {},
                      std::string_view body = {});

private:
    void connect();
    void close();
    bool try_request(const std::string& wire, HttpReply& out);
    bool fill();

    int port_;
    int fd_ = -1;
    std::string buf_;
};

} // namespace gazette::bench
