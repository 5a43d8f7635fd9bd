#include "bench/load/http_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace gazette::bench {

HttpClient::HttpClient(int port) : port_(port) {
    connect();
}

HttpClient::~HttpClient() {
    close();
}

void HttpClient::connect() {
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
    if (::connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
        const std::string err = std::strerror(errno);
        close();
        throw std::runtime_error("connect to 127.0.0.1:" + std::to_string(port_) + ": " + err);
    }
    buf_.clear();
}

void HttpClient::close() {
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
}

HttpResponse HttpClient::get(std::string_view target) {
    std::string request;
    request.reserve(target.size() + 64);
    request.append("GET ").append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    HttpResponse out;
    if (fd_ >= 0 && try_get(request, out)) {
        return out;
    }
    connect();
    if (!try_get(request, out)) {
        throw std::runtime_error("connection closed by the server");
    }
    return out;
}

bool HttpClient::try_get(const std::string& request, HttpResponse& out) {
    std::size_t sent = 0;
    while (sent < request.size()) {
        const ssize_t n = ::send(fd_, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) {
            if (n < 0 && errno == EINTR) {
                continue;
            }
            return false;
        }
        sent += static_cast<std::size_t>(n);
    }
    char chunk[65536];
    auto fill = [&]() {
        for (;;) {
            const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                return false;
            }
            buf_.append(chunk, static_cast<std::size_t>(n));
            return true;
        }
    };
    std::size_t head_end = std::string::npos;
    while ((head_end = buf_.find("\r\n\r\n")) == std::string::npos) {
        if (!fill()) {
            return false;
        }
    }
    // Status line: "HTTP/1.1 200 OK".
    if (buf_.size() < 12 || buf_.compare(0, 5, "HTTP/") != 0) {
        throw std::runtime_error("bad HTTP response");
    }
    out.status = std::atoi(buf_.c_str() + 9);
    std::size_t length = 0;
    bool close_after = false;
    std::size_t pos = buf_.find("\r\n") + 2;
    while (pos < head_end) {
        const std::size_t eol = buf_.find("\r\n", pos);
        std::string line = buf_.substr(pos, eol - pos);
        std::transform(line.begin(), line.end(), line.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (line.rfind("content-length:", 0) == 0) {
            length = std::stoul(line.substr(15));
        } else if (line.rfind("transfer-encoding:", 0) == 0) {
            throw std::runtime_error("chunked responses are not supported by the bench client");
        } else if (line.rfind("connection:", 0) == 0 && line.find("close") != std::string::npos) {
            close_after = true;
        }
        pos = eol + 2;
    }
    const std::size_t body_begin = head_end + 4;
    while (buf_.size() < body_begin + length) {
        if (!fill()) {
            throw std::runtime_error("truncated HTTP response");
        }
    }
    out.body.assign(buf_, body_begin, length);
    buf_.erase(0, body_begin + length);
    if (close_after) {
        close();
    }
    return true;
}

} // namespace gazette::bench
