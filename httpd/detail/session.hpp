#pragma once
/// One HTTP connection: reads requests one at a time, runs the server-side checks, calls the
/// handler, writes plain or streamed (chunked) responses, and closes on errors, timeouts or
/// drain. All member functions except the thread-safe ones below run on the connection's
/// strand; the session keeps itself alive through shared_from_this in pending operations.

#include "httpd/detail/head_check.hpp"
#include "httpd/detail/server_state.hpp"
#include "httpd/detail/target.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/string_body.hpp>

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>

namespace gazette::httpd::detail {

class Session : public std::enable_shared_from_this<Session> {
public:
    /// Takes an accepted socket whose executor is a strand. The caller has already counted
    /// the connection in `state->open_connections`; closing the socket uncounts it.
    Session(boost::asio::ip::tcp::socket&& socket, std::shared_ptr<ServerState> state);
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    /// Registers the session and starts reading the first request.
    void start();
    /// Thread-safe: closes the connection if it is between requests or still reading a
    /// header; a request being read, handled or written is finished first (then closed).
    void drain();
    /// Only while no I/O thread runs (Server destruction): closes and drops the socket and
    /// the strand so that a responder kept by a worker cannot touch a dead io_context.
    void release() noexcept;

    /// Thread-safe (responders): hands the response of request `request_no` to the strand.
    void post_response(std::uint64_t request_no, Response response);
    /// Thread-safe (chunk deliveries); `dropped` means the source lost its deliver callback.
    void post_chunk(std::uint64_t request_no, std::string chunk, bool last, bool dropped);

private:
    enum class Phase {
        idle,
        reading_header,
        reading_body,
        handling,
        writing,
        streaming,
        closing,
        closed
    };

    template <class F> void guarded(const char* where, F&& step) noexcept;
    void arm(std::uint32_t seconds);

    void wait_for_request();
    void read_header();
    void on_header(const boost::beast::error_code& ec);
    void read_body();
    void on_body(const boost::beast::error_code& ec);
    void dispatch();
    void fail(const HeadFailure& failure);

    void on_response(std::uint64_t request_no, Response response);
    void write_response(Response response);
    void on_write(const boost::beast::error_code& ec);

    void start_stream(Response response);
    void pull_next();
    void on_chunk(std::uint64_t request_no, std::string chunk, bool last, bool dropped);
    void on_chunk_written(const boost::beast::error_code& ec);
    void write_last_chunk();
    void on_stream_end(const boost::beast::error_code& ec);
    void cancel_stream() noexcept;

    void finish_request(bool keep_alive);
    void record() noexcept;
    void linger_close();
    void do_linger();
    void close_now() noexcept;
    void uncount() noexcept;

    template <class Body>
    void fill_head(boost::beast::http::response<Body>& head, const Response& response, bool keep);

    std::shared_ptr<ServerState> state_;
    std::optional<boost::beast::tcp_stream> stream_;
    boost::asio::any_io_executor executor_; ///< the connection's strand
    boost::beast::flat_buffer buffer_;
    std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
    ParsedTarget target_parts_;
    std::string out_head_; ///< head of the plain response being written (response_head.hpp)
    std::string out_body_; ///< its body

    std::optional<boost::beast::http::response<boost::beast::http::empty_body>> stream_head_;
    std::optional<boost::beast::http::response_serializer<boost::beast::http::empty_body>>
        stream_serializer_;
    std::optional<boost::beast::http::chunk_body<boost::asio::const_buffer>> chunk_body_;
    std::shared_ptr<ChunkSource> source_;
    std::string chunk_;
    bool last_chunk_ = false;
    bool chunked_ = false;
    bool stream_done_ = true;

    bool counted_ = true; ///< still included in state_->open_connections
    std::uint64_t registry_id_ = 0;
    std::uint64_t request_no_ = 0;
    Phase phase_ = Phase::idle;
    bool first_request_ = true;
    bool keep_alive_ = false; ///< what the client asked for
    bool keep_after_ = false; ///< what the current response promised
    bool is_head_ = false;
    bool request_complete_ = false; ///< the whole request (body included) was read
    unsigned version_ = 11;

    std::string remote_ip_;
    std::string request_id_;
    std::string method_;
    std::string target_; ///< truncated, for the access log
    std::int64_t received_ns_ = 0;
    unsigned status_ = 0;
    std::size_t bytes_ = 0;

    /// The thread running this session's handler call, while it runs: a response given by the
    /// handler itself (on that thread, so on the strand) is written at once instead of being
    /// posted, which would wake another I/O thread to run it.
    std::atomic<std::thread::id> handler_thread_{};

    std::array<char, 4096> linger_buffer_{};
    std::size_t lingered_ = 0;
};

} // namespace gazette::httpd::detail
