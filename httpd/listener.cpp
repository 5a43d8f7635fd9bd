#include "httpd/detail/listener.hpp"

#include "httpd/detail/session.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/socket_base.hpp>
#include <boost/asio/strand.hpp>

#include <chrono>

namespace gazette::httpd::detail {
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {
/// Accept errors such as EMFILE are retried after this pause instead of spinning.
constexpr std::chrono::milliseconds accept_retry_delay{100};
} // namespace

Listener::Listener(net::io_context& ioc, std::vector<net::io_context*> session_iocs,
                   std::shared_ptr<ServerState> state)
    : session_iocs_(std::move(session_iocs)), state_(std::move(state)),
      acceptor_(net::make_strand(ioc)),
      retry_timer_(acceptor_.get_executor()) {}

void Listener::open(const tcp::endpoint& endpoint) {
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(net::socket_base::max_listen_connections);
    port_ = acceptor_.local_endpoint().port();
}

unsigned short Listener::port() const {
    return port_;
}

void Listener::run() {
    net::post(acceptor_.get_executor(), [self = shared_from_this()] { self->do_accept(); });
}

void Listener::close() {
    net::post(acceptor_.get_executor(), [self = shared_from_this()] {
        boost::system::error_code ec;
        self->acceptor_.close(ec);
        self->retry_timer_.cancel();
    });
}

void Listener::do_accept() {
    if (!acceptor_.is_open()) {
        return;
    }
    // Every connection gets its own strand, on the next io_context in turn. An io_context per
    // thread (instead of one shared by all threads) keeps a request on the thread that read
    // it: no scheduler lock contention and no waking of another thread per operation.
    net::io_context& target = *session_iocs_[next_ioc_];
    next_ioc_ = (next_ioc_ + 1) % session_iocs_.size();
    acceptor_.async_accept(
        net::make_strand(target),
        [self = shared_from_this()](const boost::system::error_code& ec, tcp::socket socket) {
            self->on_accept(ec, std::move(socket));
        });
}

void Listener::on_accept(const boost::system::error_code& ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor_.is_open()) {
        return;
    }
    try {
        if (ec) {
            state_->log->warn("accept failed: {}; retrying", ec.message());
            retry_timer_.expires_after(accept_retry_delay);
            retry_timer_.async_wait(
                [self = shared_from_this()](const boost::system::error_code& wec) {
                    if (!wec) {
                        self->do_accept();
                    }
                });
            return;
        }
        if (state_->draining.load()) {
            refuse(socket);
        } else if (state_->open_connections.load() >= state_->options.max_connections) {
            state_->log->warn("connection refused: {} open (max_connections)",
                              state_->open_connections.load());
            refuse(socket);
        } else {
            // counted before the session exists; the session's destructor uncounts
            state_->open_connections.fetch_add(1);
            std::shared_ptr<Session> session;
            try {
                session = std::make_shared<Session>(std::move(socket), state_);
            } catch (...) {
                state_->open_connections.fetch_sub(1);
                throw;
            }
            session->start();
        }
    } catch (const std::exception& e) {
        state_->log->error("accept handling failed: {}", e.what());
    }
    do_accept();
}

void Listener::refuse(tcp::socket& socket) noexcept {
    // Best effort: a short 503 without blocking, then close. A client that already sent its
    // request may see a reset instead; either way it is not served.
    static constexpr std::string_view body =
        R"({"error":{"code":"overloaded","message":"too many connections"}})";
    static_assert(body.size() == 64, "keep Content-Length below in sync");
    static constexpr std::string_view reply =
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
        "Content-Length: 64\r\nConnection: close\r\n\r\n"
        R"({"error":{"code":"overloaded","message":"too many connections"}})";
    static_assert(reply.substr(reply.size() - body.size()) == body);
    boost::system::error_code ec;
    socket.non_blocking(true, ec);
    if (!ec) {
        socket.write_some(net::buffer(reply.data(), reply.size()), ec);
    }
    socket.shutdown(tcp::socket::shutdown_both, ec);
    socket.close(ec);
}

} // namespace gazette::httpd::detail
