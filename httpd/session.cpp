#include "httpd/detail/session.hpp"
#include "httpd/detail/response_head.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <chrono>

namespace gazette::httpd::detail {
namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

constexpr std::size_t access_target_max = 256;
/// How long a closing connection may keep sending (e.g. the rest of a refused body) before
/// it is cut; reading it first avoids a TCP reset that would destroy our error response.
constexpr std::uint32_t linger_s = 2;
constexpr std::size_t linger_max_bytes = 1024 * 1024;
constexpr std::string_view continue_response = "HTTP/1.1 100 Continue\r\n\r\n";

std::int64_t now_ns() noexcept {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return out;
}

Response error_response(unsigned status,
                        ErrorCode code,
                        std::string_view message,
                        std::string_view request_id) {
    Response response;
    response.status = status;
    response.body = error_body(error_code_name(code), message, request_id);
    return response;
}

/// Shared by every copy of one request's Responder: guarantees a single answer, and answers
/// 500 if the handler drops the responder without calling it.
class ResponderState {
public:
    ResponderState(std::shared_ptr<Session> session,
                   std::uint64_t request_no,
                   std::string request_id,
                   std::shared_ptr<spdlog::logger> log)
        : session_(std::move(session)), request_no_(request_no), request_id_(std::move(request_id)),
          log_(std::move(log)) {}
    ResponderState(const ResponderState&) = delete;
    ResponderState& operator=(const ResponderState&) = delete;

    ~ResponderState() {
        if (!called_.load()) {
            try {
                log_->error("handler dropped the responder request_id={}", request_id_);
                session_->post_response(
                    request_no_,
                    error_response(
                        500, ErrorCode::internal, "the request was not answered", request_id_));
            } catch (...) { // NOLINT(bugprone-empty-catch): destructor; the connection just closes
            }
        }
    }

    void respond(Response response) {
        if (called_.exchange(true)) {
            log_->warn("responder called twice request_id={}; ignored", request_id_);
            return;
        }
        session_->post_response(request_no_, std::move(response));
    }

    /// After the handler threw: 500 unless it already answered.
    void respond_internal_error() {
        if (called_.exchange(true)) {
            return;
        }
        session_->post_response(
            request_no_, error_response(500, ErrorCode::internal, "internal error", request_id_));
    }

private:
    std::shared_ptr<Session> session_;
    std::uint64_t request_no_;
    std::string request_id_;
    std::shared_ptr<spdlog::logger> log_;
    std::atomic<bool> called_{false};
};

/// Shared by the copies of one `deliver` callback: one chunk per next() call.
class DeliverState {
public:
    DeliverState(std::shared_ptr<Session> session, std::uint64_t request_no)
        : session_(std::move(session)), request_no_(request_no) {}
    DeliverState(const DeliverState&) = delete;
    DeliverState& operator=(const DeliverState&) = delete;

    ~DeliverState() {
        if (!called_.load()) {
            try {
                session_->post_chunk(request_no_, {}, false, true);
            } catch (...) { // NOLINT(bugprone-empty-catch): destructor; the connection just closes
            }
        }
    }

    void deliver(std::string chunk, bool last) {
        if (called_.exchange(true)) {
            return; // a second delivery for the same next() call is a source bug; drop it
        }
        session_->post_chunk(request_no_, std::move(chunk), last, false);
    }

private:
    std::shared_ptr<Session> session_;
    std::uint64_t request_no_;
    std::atomic<bool> called_{false};
};

} // namespace

Session::Session(tcp::socket&& socket, std::shared_ptr<ServerState> state)
    : state_(std::move(state)) {
    beast::error_code ec;
    const auto endpoint = socket.remote_endpoint(ec);
    if (!ec) {
        remote_ip_ = endpoint.address().to_string();
    }
    stream_.emplace(std::move(socket));
    executor_ = stream_->get_executor();
}

Session::~Session() {
    cancel_stream();
    if (registry_id_ != 0) {
        state_->unregister_session(registry_id_);
    }
    uncount();
}

void Session::uncount() noexcept {
    // A connection counts while its socket is open, not while the Session object lives: a
    // worker may keep a responder (and so the Session) well after the socket was closed.
    if (counted_) {
        counted_ = false;
        state_->open_connections.fetch_sub(1);
    }
}

void Session::start() {
    registry_id_ = state_->register_session(weak_from_this());
    net::post(executor_, [self = shared_from_this()] {
        self->guarded("start", [&] { self->wait_for_request(); });
    });
}

void Session::drain() {
    auto self = shared_from_this();
    state_->post_if_alive([&] {
        net::post(executor_, [self] {
            if (self->phase_ == Phase::idle || self->phase_ == Phase::reading_header) {
                self->close_now();
            }
        });
    });
}

void Session::release() noexcept {
    try {
        if (stream_) {
            beast::error_code ec;
            stream_->socket().shutdown(tcp::socket::shutdown_both, ec);
            stream_.reset();
        }
        executor_ = net::any_io_executor();
    } catch (...) { // NOLINT(bugprone-empty-catch): shutting down; nothing left to tell
    }
}

void Session::post_response(std::uint64_t request_no, Response response) {
    if (handler_thread_.load(std::memory_order_relaxed) == std::this_thread::get_id()) {
        guarded("response", [&] { on_response(request_no, std::move(response)); });
        return;
    }
    auto self = shared_from_this();
    state_->post_if_alive([&] {
        net::post(executor_, [self, request_no, r = std::move(response)]() mutable {
            self->guarded("response", [&] { self->on_response(request_no, std::move(r)); });
        });
    });
}

void Session::post_chunk(std::uint64_t request_no, std::string chunk, bool last, bool dropped) {
    auto self = shared_from_this();
    state_->post_if_alive([&] {
        net::post(executor_, [self, request_no, c = std::move(chunk), last, dropped]() mutable {
            self->guarded("chunk",
                          [&] { self->on_chunk(request_no, std::move(c), last, dropped); });
        });
    });
}

template <class F> void Session::guarded(const char* where, F&& step) noexcept {
    try {
        std::forward<F>(step)();
    } catch (const std::exception& e) {
        try {
            state_->log->error(
                "connection error in {} request_id={}: {}", where, request_id_, e.what());
        } catch (...) { // NOLINT(bugprone-empty-catch): logging failed; still close below
        }
        close_now();
    } catch (...) {
        close_now();
    }
}

void Session::arm(std::uint32_t seconds) {
    if (seconds == 0) {
        stream_->expires_never();
    } else {
        stream_->expires_after(std::chrono::seconds(seconds));
    }
}

// ---- reading -------------------------------------------------------------------------------

void Session::wait_for_request() {
    if (state_->draining.load()) {
        close_now();
        return;
    }
    if (first_request_ || buffer_.size() > 0) {
        // the first request, or a pipelined one already buffered: header timeout applies
        read_header();
        return;
    }
    // Between requests the idle timeout applies until the first byte of the next request;
    // only then does the (shorter) header timeout start.
    phase_ = Phase::idle;
    arm(state_->options.keep_alive_idle_s);
    stream_->async_read_some(
        buffer_.prepare(4096),
        [self = shared_from_this()](const beast::error_code& ec, std::size_t n) {
            self->guarded("idle", [&] {
                self->buffer_.commit(n);
                if (ec || self->phase_ == Phase::closed) {
                    self->close_now();
                    return;
                }
                self->read_header();
            });
        });
}

void Session::read_header() {
    if (state_->draining.load() && buffer_.size() == 0) {
        close_now();
        return;
    }
    phase_ = Phase::reading_header;
    ++request_no_;
    request_id_.clear();
    method_ = "-";
    target_ = "-";
    version_ = 11;
    keep_alive_ = false;
    is_head_ = false;
    status_ = 0;
    bytes_ = 0;
    received_ns_ = now_ns();
    request_complete_ = false;

    parser_.emplace();
    parser_->header_limit(parser_header_limit(state_->options));
    parser_->body_limit(state_->options.max_body_bytes);
    arm(state_->options.header_read_timeout_s);
    http::async_read_header(*stream_,
                            buffer_,
                            *parser_,
                            [self = shared_from_this()](const beast::error_code& ec, std::size_t) {
                                self->guarded("read header", [&] { self->on_header(ec); });
                            });
}

void Session::on_header(const beast::error_code& ec) {
    if (phase_ == Phase::closed) {
        return;
    }
    if (ec) {
        const auto data = buffer_.data();
        const std::string_view unparsed(static_cast<const char*>(data.data()), data.size());
        std::optional<std::size_t> target_size;
        if (const auto target = parser_->get().target(); !target.empty()) {
            target_size = target.size();
        }
        if (auto failure = classify_read_error(ec, unparsed, target_size, state_->options)) {
            fail(*failure);
        } else {
            close_now();
        }
        return;
    }
    received_ns_ = now_ns();
    request_id_ = state_->ids.next();
    const auto& head = parser_->get();
    method_ = std::string(head.method_string());
    const std::string_view target(head.target().data(), head.target().size());
    target_ = std::string(target.substr(0, access_target_max));
    version_ = head.version() == 10 ? 10 : 11;
    is_head_ = head.method() == http::verb::head;
    keep_alive_ = head.keep_alive();

    if (auto failure = check_head(head, state_->options)) {
        fail(*failure);
        return;
    }
    auto parsed = parse_target(target);
    if (!parsed) {
        fail(HeadFailure{400, ErrorCode::bad_request, parsed.error().message});
        return;
    }
    target_parts_ = std::move(*parsed);

    if (parser_->is_done()) {
        dispatch();
        return;
    }
    const auto expect = head.find(http::field::expect);
    if (version_ == 11 && expect != head.end() && beast::iequals(expect->value(), "100-continue")) {
        // curl and others wait (about 1 s) for this before sending a large body
        phase_ = Phase::reading_body;
        arm(state_->options.body_read_timeout_s);
        net::async_write(*stream_,
                         net::buffer(continue_response.data(), continue_response.size()),
                         [self = shared_from_this()](const beast::error_code& wec, std::size_t) {
                             self->guarded("continue", [&] {
                                 if (wec) {
                                     self->close_now();
                                     return;
                                 }
                                 self->read_body();
                             });
                         });
        return;
    }
    read_body();
}

void Session::read_body() {
    phase_ = Phase::reading_body;
    arm(state_->options.body_read_timeout_s);
    http::async_read(*stream_,
                     buffer_,
                     *parser_,
                     [self = shared_from_this()](const beast::error_code& ec, std::size_t) {
                         self->guarded("read body", [&] { self->on_body(ec); });
                     });
}

void Session::on_body(const beast::error_code& ec) {
    if (phase_ == Phase::closed) {
        return;
    }
    if (ec) {
        if (auto failure = classify_read_error(ec, {}, std::nullopt, state_->options)) {
            fail(*failure);
        } else {
            close_now();
        }
        return;
    }
    dispatch();
}

void Session::fail(const HeadFailure& failure) {
    if (request_id_.empty()) {
        request_id_ = state_->ids.next();
    }
    parser_.reset();
    keep_alive_ = false; // the rest of the stream cannot be trusted
    phase_ = Phase::handling;
    Response response = error_response(failure.status, failure.code, failure.message, request_id_);
    response.close = true;
    write_response(std::move(response));
}

void Session::dispatch() {
    request_complete_ = true;
    auto& message = parser_->get();
    Request request;
    request.method = method_;
    request.target = std::string(message.target().data(), message.target().size());
    request.path = std::move(target_parts_.path);
    request.raw_path = std::move(target_parts_.raw_path);
    request.query = std::move(target_parts_.query);
    request.headers.reserve(
        static_cast<std::size_t>(std::distance(message.begin(), message.end())));
    for (const auto& field : message) {
        request.headers.emplace_back(
            lower(std::string_view(field.name_string().data(), field.name_string().size())),
            std::string(field.value().data(), field.value().size()));
    }
    request.body = std::move(message.body());
    request.remote_ip = remote_ip_;
    request.request_id = request_id_;
    request.received_ns = received_ns_;
    parser_.reset();

    phase_ = Phase::handling;
    stream_->expires_never(); // no I/O while the handler works; each write re-arms
    auto responder =
        std::make_shared<ResponderState>(shared_from_this(), request_no_, request_id_, state_->log);
    handler_thread_.store(std::this_thread::get_id(), std::memory_order_relaxed);
    try {
        state_->handler(std::move(request), [responder](Response response) {
            responder->respond(std::move(response));
        });
    } catch (const std::exception& e) {
        state_->log->error("handler threw request_id={} method={} target={}: {}",
                           request_id_,
                           method_,
                           target_,
                           e.what());
        responder->respond_internal_error();
    } catch (...) {
        state_->log->error("handler threw a non-standard exception request_id={}", request_id_);
        responder->respond_internal_error();
    }
    handler_thread_.store(std::thread::id{}, std::memory_order_relaxed);
}

// ---- plain responses -----------------------------------------------------------------------

template <class Body>
void Session::fill_head(http::response<Body>& head, const Response& response, bool keep) {
    head.version(version_);
    head.result(response.status);
    head.set(http::field::server, state_->options.server_name);
    head.set("X-Request-Id", request_id_);
    if (!response.content_type.empty()) {
        head.set(http::field::content_type, response.content_type);
    }
    for (const auto& [name, value] : response.headers) {
        // framing belongs to the server; a handler cannot smuggle its own
        if (is_framing_header(name)) {
            continue;
        }
        if (beast::iequals(name, "content-type")) {
            head.set(http::field::content_type, value);
        } else {
            head.insert(name, value);
        }
    }
    head.keep_alive(keep);
}

void Session::on_response(std::uint64_t request_no, Response response) {
    if (request_no != request_no_ || phase_ != Phase::handling) {
        return; // the connection moved on or closed
    }
    if (response.status < 200 || response.status > 599) {
        state_->log->error(
            "handler returned invalid status {} request_id={}", response.status, request_id_);
        if (response.stream) {
            response.stream->cancel();
        }
        response = error_response(500, ErrorCode::internal, "internal error", request_id_);
    }
    if (response.stream && !is_head_) {
        start_stream(std::move(response));
    } else {
        write_response(std::move(response));
    }
}

void Session::write_response(Response response) {
    const bool keep = keep_alive_ && !response.close && !state_->draining.load();
    HeadFields head;
    head.version = version_;
    head.status = response.status;
    head.server = &state_->options.server_name;
    head.request_id = &request_id_;
    head.keep_alive = keep;
    status_ = response.status;
    bytes_ = 0;
    out_body_.clear();
    if (response.stream) {
        // HEAD of a streamed resource: headers only, and the source is never started
        try {
            response.stream->cancel();
        } catch (...) { // NOLINT(bugprone-empty-catch): the source is dropped either way
        }
    } else if (is_head_) {
        head.content_length = response.body.size();
    } else if (response.status != 204 && response.status != 304) {
        bytes_ = response.body.size();
        head.content_length = bytes_;
        out_body_ = std::move(response.body);
    }
    out_head_.clear();
    append_response_head(out_head_, head, response);
    phase_ = Phase::writing;
    keep_after_ = keep;
    arm(state_->options.body_read_timeout_s);
    // One gathered write: the head and the body leave in a single sendmsg.
    const std::array<net::const_buffer, 2> buffers{net::buffer(out_head_), net::buffer(out_body_)};
    net::async_write(*stream_, buffers,
                      [self = shared_from_this()](const beast::error_code& ec, std::size_t) {
                          self->guarded("write", [&] { self->on_write(ec); });
                      });
}

void Session::on_write(const beast::error_code& ec) {
    record();
    out_body_ = std::string(); // a large body is not kept for the life of the connection
    if (ec) {
        close_now();
        return;
    }
    finish_request(keep_after_);
}

void Session::finish_request(bool keep_alive) {
    first_request_ = false;
    if (!keep_alive) {
        // Linger only when the client may still be sending (a refused body, pipelined
        // requests): closing with unread input makes the kernel send a reset that can destroy
        // the response in flight. Otherwise close at once, which also keeps drains short.
        beast::error_code ec;
        const std::size_t pending = stream_->socket().available(ec);
        if (!request_complete_ || buffer_.size() > 0 || pending > 0 || ec) {
            linger_close();
        } else {
            close_now();
        }
        return;
    }
    wait_for_request();
}

// ---- streamed responses --------------------------------------------------------------------

void Session::start_stream(Response response) {
    source_ = std::move(response.stream);
    stream_done_ = false;
    // HTTP/1.0 has no chunked encoding: the body then ends with the connection
    chunked_ = version_ == 11;
    const bool keep = chunked_ && keep_alive_ && !response.close && !state_->draining.load();
    auto& head = stream_head_.emplace();
    fill_head(head, response, keep);
    if (chunked_) {
        head.chunked(true);
    }
    status_ = response.status;
    bytes_ = 0;
    keep_after_ = keep;
    phase_ = Phase::streaming;
    auto& serializer = stream_serializer_.emplace(head);
    arm(state_->options.body_read_timeout_s);
    http::async_write_header(*stream_,
                             serializer,
                             [self = shared_from_this()](const beast::error_code& ec, std::size_t) {
                                 self->guarded("stream head", [&] {
                                     if (ec) {
                                         self->record();
                                         self->close_now();
                                         return;
                                     }
                                     self->pull_next();
                                 });
                             });
}

void Session::pull_next() {
    auto deliver = std::make_shared<DeliverState>(shared_from_this(), request_no_);
    try {
        source_->next(
            [deliver](std::string chunk, bool last) { deliver->deliver(std::move(chunk), last); });
    } catch (const std::exception& e) {
        state_->log->error("stream source threw request_id={}: {}", request_id_, e.what());
        record();
        close_now(); // the body is cut short; the client sees a truncated chunked stream
    }
}

void Session::on_chunk(std::uint64_t request_no, std::string chunk, bool last, bool dropped) {
    if (request_no != request_no_ || phase_ != Phase::streaming || stream_done_) {
        return;
    }
    if (dropped) {
        state_->log->error("stream source dropped its deliver callback request_id={}", request_id_);
        record();
        close_now();
        return;
    }
    chunk_ = std::move(chunk);
    last_chunk_ = last;
    bytes_ += chunk_.size();
    if (chunk_.empty()) {
        // an empty chunk would read as the end of the body; skip it
        if (last) {
            write_last_chunk();
        } else {
            pull_next();
        }
        return;
    }
    arm(state_->options.body_read_timeout_s);
    auto on_written = [self = shared_from_this()](const beast::error_code& ec, std::size_t) {
        self->guarded("chunk write", [&] { self->on_chunk_written(ec); });
    };
    const net::const_buffer data(chunk_.data(), chunk_.size());
    if (chunked_) {
        chunk_body_.emplace(http::make_chunk(data));
        net::async_write(*stream_, *chunk_body_, std::move(on_written));
    } else {
        net::async_write(*stream_, data, std::move(on_written));
    }
}

void Session::on_chunk_written(const beast::error_code& ec) {
    chunk_body_.reset();
    chunk_ = std::string(); // give the memory back: streams stay constant-size
    if (ec) {
        record();
        close_now(); // cancels the source
        return;
    }
    if (last_chunk_) {
        write_last_chunk();
    } else {
        pull_next();
    }
}

void Session::write_last_chunk() {
    stream_done_ = true;
    source_.reset();
    if (!chunked_) {
        on_stream_end({});
        return;
    }
    arm(state_->options.body_read_timeout_s);
    net::async_write(*stream_,
                     http::make_chunk_last(),
                     [self = shared_from_this()](const beast::error_code& ec, std::size_t) {
                         self->guarded("last chunk", [&] { self->on_stream_end(ec); });
                     });
}

void Session::on_stream_end(const beast::error_code& ec) {
    record();
    stream_serializer_.reset();
    stream_head_.reset();
    if (ec) {
        close_now();
        return;
    }
    finish_request(keep_after_);
}

void Session::cancel_stream() noexcept {
    if (!stream_done_) {
        stream_done_ = true;
        if (source_) {
            try {
                source_->cancel();
            } catch (...) { // NOLINT(bugprone-empty-catch): cancel is best effort by contract
            }
        }
    }
    source_.reset();
}

// ---- closing -------------------------------------------------------------------------------

void Session::record() noexcept {
    AccessRecord record;
    try {
        record.request_id = request_id_;
        record.method = method_;
        record.target = target_;
        record.remote_ip = remote_ip_;
    } catch (...) { // NOLINT(bugprone-empty-catch): out of memory; log what we can
    }
    record.status = status_;
    record.bytes = bytes_;
    record.latency_ms = static_cast<double>(now_ns() - received_ns_) / 1e6;
    state_->record_access(record);
}

void Session::linger_close() {
    phase_ = Phase::closing;
    beast::error_code ec;
    stream_->socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) {
        close_now();
        return;
    }
    lingered_ = 0;
    arm(linger_s); // one deadline for the whole linger
    do_linger();
}

void Session::do_linger() {
    stream_->async_read_some(
        net::buffer(linger_buffer_),
        [self = shared_from_this()](const beast::error_code& ec, std::size_t n) {
            self->guarded("linger", [&] {
                self->lingered_ += n;
                if (ec || self->phase_ != Phase::closing || self->lingered_ > linger_max_bytes) {
                    self->close_now();
                    return;
                }
                self->do_linger();
            });
        });
}

void Session::close_now() noexcept {
    if (phase_ == Phase::closed) {
        return;
    }
    phase_ = Phase::closed;
    cancel_stream();
    try {
        if (stream_) {
            beast::error_code ec;
            stream_->socket().shutdown(tcp::socket::shutdown_both, ec);
            stream_->close();
        }
    } catch (...) { // NOLINT(bugprone-empty-catch): the socket is gone either way
    }
    uncount();
}

} // namespace gazette::httpd::detail
