#include "bench/freshness/http_connection.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace gazette::bench {

namespace {

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto la = a[i] >= 'A' && a[i] <= 'Z' ? a[i] - 'A' + 'a' : a[i];
        const auto lb = b[i] >= 'A' && b[i] <= 'Z' ? b[i] - 'A' + 'a' : b[i];
        if (la != lb) {
            return false;
        }
    }
    return true;
}

} // namespace

HttpConnection::HttpConnection(int port) : port_(port) { connect(); }

HttpConnection::~HttpConnection() { close(); }

void HttpConnection::connect() {
    close();
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) {
        throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
    }
    const int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port_));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    // sockaddr_in -> sockaddr is the socket API's own aliasing contract.
    if (::connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
        const std::string err = std::strerror(errno);
        close();
        throw std::runtime_error("connect to 127.0.0.1:" + std::to_string(port_) + ": " + err);
    }
    buf_.clear();
}

void HttpConnection::close() {
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
}

HttpReply HttpConnection::request(std::string_view method, std::string_view target, std::string_view extra_headers,
                                  std::string_view body) {
    std::string wire;
    wire.reserve(target.size() + extra_headers.size() + body.size() + 96);
    wire.append(method).append(" ").append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n").append(extra_headers);
    if (!body.empty() || method == "POST") {
        wire.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n");
    }
    wire.append("\r\n").append(body);
    HttpReply out;
    if (fd_ >= 0 && try_request(wire, out)) {
        return out;
    }
    connect();
    if (!try_request(wire, out)) {
        throw std::runtime_error("connection closed by the server");
    }
    return out;
}

bool HttpConnection::fill() {
    char chunk[65536];
    for (;;) {
        const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
        if (n > 0) {
            buf_.append(chunk, static_cast<std::size_t>(n));
            return true;
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        return false;
    }
}

bool HttpConnection::try_request(const std::string& wire, HttpReply& out) {
    std::size_t sent = 0;
    while (sent < wire.size()) {
        const ssize_t n = ::send(fd_, wire.data() + sent, wire.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) {
            if (n < 0 && errno == EINTR) {
                continue;
            }
            return false;
        }
        sent += static_cast<std::size_t>(n);
    }
    buf_.clear();
    std::size_t head_end = std::string::npos;
    while ((head_end = buf_.find("\r\n\r\n")) == std::string::npos) {
        if (!fill()) {
            return false; // closed before any answer: the caller reconnects once
        }
    }
    const std::string_view head(buf_.data(), head_end);
    if (head.size() < 12 || head.substr(0, 5) != "HTTP/") {
        throw std::runtime_error("bad HTTP status line");
    }
    out.status = std::atoi(std::string(head.substr(9, 3)).c_str());
    std::size_t length = 0;
    bool chunked = false;
    bool close_after = false;
    std::size_t pos = head.find("\r\n");
    while (pos != std::string_view::npos && pos < head.size()) {
        const std::size_t next = head.find("\r\n", pos + 2);
        const std::string_view line = head.substr(pos + 2, (next == std::string_view::npos ? head.size() : next) - pos - 2);
        const std::size_t colon = line.find(':');
        if (colon != std::string_view::npos) {
            const std::string_view name = line.substr(0, colon);
            std::string_view value = line.substr(colon + 1);
            while (!value.empty() && value.front() == ' ') {
                value.remove_prefix(1);
            }
            if (iequals(name, "content-length")) {
                length = static_cast<std::size_t>(std::strtoull(std::string(value).c_str(), nullptr, 10));
            } else if (iequals(name, "transfer-encoding") && iequals(value, "chunked")) {
                chunked = true;
            } else if (iequals(name, "connection") && iequals(value, "close")) {
                close_after = true;
            }
        }
        pos = next;
    }
    std::size_t at = head_end + 4;
    out.body.clear();
    if (chunked) {
        for (;;) {
            std::size_t eol;
            while ((eol = buf_.find("\r\n", at)) == std::string::npos) {
                if (!fill()) {
                    throw std::runtime_error("connection closed inside a chunked body");
                }
            }
            const std::size_t size = static_cast<std::size_t>(std::strtoull(buf_.substr(at, eol - at).c_str(), nullptr, 16));
            at = eol + 2;
            while (buf_.size() < at + size + 2) {
                if (!fill()) {
                    throw std::runtime_error("connection closed inside a chunked body");
                }
            }
            out.body.append(buf_, at, size);
            at += size + 2;
            if (size == 0) {
                break; // no trailers are sent by our servers
            }
        }
    } else {
        while (buf_.size() < at + length) {
            if (!fill()) {
                throw std::runtime_error("connection closed inside a body");
            }
        }
        out.body.assign(buf_, at, length);
    }
    if (close_after) {
        close();
    }
    return true;
}

} // namespace gazette::bench
