#pragma once
/// A minimal blocking HTTP/1.1 keep-alive client over a raw loopback socket, for load tests.
/// Only what searchd sends is supported: responses with Content-Length (no chunked bodies).
/// One client per thread; not thread-safe.

#include <string>
#include <string_view>

namespace gazette::bench {

struct HttpResponse {
    int status = 0;
    std::string body;
};

class HttpClient {
public:
    explicit HttpClient(int port);
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    /// GET `target` ("/search?q=..."); reconnects once when the server closed the connection.
    /// Throws std::runtime_error on socket or protocol errors.
    HttpResponse get(std::string_view target);

private:
    void connect();
    void close();
    bool try_get(const std::string& request, HttpResponse& out);

    int port_;
    int fd_ = -1;
    std::string buf_;
};

} // namespace gazette::bench
