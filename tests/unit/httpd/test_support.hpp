#pragma once
/// Test helpers: a real Server on 127.0.0.1:0 running in a background thread, and a tiny
/// blocking client over raw sockets (with receive timeouts so a bug fails instead of hanging).

#include "httpd/server.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json.hpp>

#include <sys/socket.h>
#include <sys/time.h>

#include <chrono>
#include <functional>
#include <string>
#include <thread>

namespace gazette::httpd::test {

namespace net = boost::asio;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;

/// Starts on an ephemeral port; stop() + join on destruction.
class TestServer {
public:
    TestServer(ServerOptions options, Handler handler)
        : server_(adjust(std::move(options)), std::move(handler)) {
        server_.start();
        thread_ = std::thread([this] { server_.run(); });
    }
    ~TestServer() {
        server_.stop(2);
        join();
    }
    TestServer(const TestServer&) = delete;
    TestServer& operator=(const TestServer&) = delete;

    Server& server() { return server_; }
    unsigned short port() const { return server_.port(); }
    void join() {
        if (thread_.joinable()) {
            thread_.join();
        }
    }

private:
    static ServerOptions adjust(ServerOptions options) {
        options.host = "127.0.0.1";
        options.port = 0;
        return options;
    }
    Server server_;
    std::thread thread_;
};

/// A blocking connection with a receive timeout.
class Client {
public:
    explicit Client(unsigned short port, int timeout_ms = 5000) : socket_(ioc_) {
        socket_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
        timeval tv{};
        tv.tv_sec = timeout_ms / 1000;
        tv.tv_usec = (timeout_ms % 1000) * 1000;
        ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }

    void send(const std::string& bytes) { net::write(socket_, net::buffer(bytes)); }

    /// Reads one response (Beast decodes chunked bodies). Throws on timeout or EOF.
    http::response<http::string_body> read_response(bool head_request = false) {
        http::response_parser<http::string_body> parser;
        parser.body_limit(1024 * 1024 * 1024);
        parser.skip(head_request);
        http::read(socket_, buffer_, parser);
        return parser.release();
    }

    http::response<http::string_body> request(const std::string& raw) {
        send(raw);
        return read_response();
    }

    /// Reads raw bytes until the server closes (or the timeout); returns what arrived.
    std::string read_until_close(boost::system::error_code* error = nullptr) {
        std::string out(static_cast<const char*>(buffer_.data().data()), buffer_.size());
        buffer_.consume(buffer_.size());
        std::array<char, 4096> chunk{};
        boost::system::error_code ec;
        for (;;) {
            const std::size_t n = socket_.read_some(net::buffer(chunk), ec);
            out.append(chunk.data(), n);
            if (ec) {
                break;
            }
        }
        if (error != nullptr) {
            *error = ec;
        }
        return out;
    }

    tcp::socket& socket() { return socket_; }

private:
    net::io_context ioc_;
    tcp::socket socket_;
    boost::beast::flat_buffer buffer_;
};

inline std::string get(std::string_view target, std::string_view extra_headers = {}) {
    std::string req = "GET ";
    req += target;
    req += " HTTP/1.1\r\nHost: test\r\n";
    req += extra_headers;
    req += "\r\n";
    return req;
}

inline boost::json::value json_of(const std::string& body) {
    return boost::json::parse(body);
}

/// Polls `condition` every 10 ms until it holds or `timeout` passes.
inline bool wait_for(const std::function<bool()>& condition,
                     std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition()) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return condition();
}

inline Response text(std::string body, unsigned status = 200) {
    Response r;
    r.status = status;
    r.content_type = "text/plain";
    r.body = std::move(body);
    return r;
}

} // namespace gazette::httpd::test
