#pragma once
/// Accepts connections, enforces max_connections, and hands sockets (each on its own strand)
/// to sessions. Runs on its own strand so that close() from stop() cannot race an accept.
/// Connections are spread round-robin over the server's io_contexts (one per I/O thread), so
/// a connection stays on one thread for its whole life.

#include "httpd/detail/server_state.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstddef>
#include <memory>
#include <vector>

namespace gazette::httpd::detail {

class Listener : public std::enable_shared_from_this<Listener> {
public:
    /// The acceptor runs on `ioc`; accepted connections go to `session_iocs` in turn (not
    /// empty; the io_contexts must outlive the listener and every session).
    Listener(boost::asio::io_context& ioc, std::vector<boost::asio::io_context*> session_iocs,
             std::shared_ptr<ServerState> state);

    /// Opens, binds and listens; throws boost::system::system_error on failure.
    void open(const boost::asio::ip::tcp::endpoint& endpoint);
    /// The bound port (after open()).
    unsigned short port() const;
    /// Starts the accept loop.
    void run();
    /// Thread-safe: stops accepting and closes the listening socket.
    void close();

private:
    void do_accept();
    void on_accept(const boost::system::error_code& ec, boost::asio::ip::tcp::socket socket);
    void refuse(boost::asio::ip::tcp::socket& socket) noexcept;

    std::vector<boost::asio::io_context*> session_iocs_;
    std::size_t next_ioc_ = 0; ///< round-robin position; only touched on the acceptor's strand
    std::shared_ptr<ServerState> state_;
    boost::asio::ip::tcp::acceptor acceptor_;
    boost::asio::steady_timer retry_timer_;
    unsigned short port_ = 0;
};

} // namespace gazette::httpd::detail
