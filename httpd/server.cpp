#include "httpd/server.hpp"

#include "httpd/detail/listener.hpp"
#include "httpd/detail/server_state.hpp"
#include "httpd/detail/session.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <system_error>
#include <thread>

namespace gazette::httpd {
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {
/// How often the drain checks whether the last connection has gone.
constexpr std::chrono::milliseconds drain_poll{20};

/// One io_context per I/O thread (at least one).
std::vector<std::unique_ptr<net::io_context>> make_io_contexts(std::size_t threads) {
    std::vector<std::unique_ptr<net::io_context>> out;
    const std::size_t n = std::max<std::size_t>(threads, 1);
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        // Each runs on exactly one thread; locking stays on because responders post from
        // worker threads.
        out.push_back(std::make_unique<net::io_context>(1));
    }
    return out;
}
} // namespace

struct Server::Impl {
    // Declaration order is destruction order in reverse: the io_contexts must outlive every
    // I/O object below them, and the state outlives the io_contexts.
    std::shared_ptr<detail::ServerState> state;
    /// One per I/O thread, each run by its own thread (thread-per-core: a connection and the
    /// in-handler work of its requests stay on one thread). iocs[0] also runs the listener,
    /// the control strand and signals.
    std::vector<std::unique_ptr<net::io_context>> iocs;
    net::io_context& ioc; ///< *iocs[0]
    std::vector<net::executor_work_guard<net::io_context::executor_type>> work;
    /// Serialises stop/drain/signal handling, which may otherwise run on several I/O threads.
    net::strand<net::io_context::executor_type> control;
    std::shared_ptr<detail::Listener> listener;
    std::optional<net::signal_set> signals;
    std::optional<net::steady_timer> drain_timer;
    std::function<void(int)> on_signal;
    std::uint32_t signal_drain_s = 10;
    std::chrono::steady_clock::time_point drain_deadline;
    std::atomic<unsigned short> port{0};
    std::atomic<bool> stopping{false};

    std::mutex run_mutex;
    std::condition_variable run_cv;
    std::size_t runners = 0;

    Impl(ServerOptions options, Handler handler)
        : state(std::make_shared<detail::ServerState>(std::move(options), std::move(handler))),
          iocs(make_io_contexts(state->options.io_threads)), ioc(*iocs.front()),
          control(net::make_strand(ioc)) {}

    void stop_all() {
        for (auto& c : iocs) {
            c->stop();
        }
    }

    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;

    ~Impl() {
        stop_all();
        {
            std::unique_lock lock(run_mutex);
            run_cv.wait(lock, [this] { return runners == 0; });
        }
        // No I/O thread runs now. Close the gate so that responders kept by worker threads
        // stop posting, then drop every socket while the io_context still exists.
        state->close_gate();
        for (const auto& session : state->live_sessions()) {
            session->release();
        }
        drain_timer.reset();
        signals.reset();
        listener.reset();
        work.clear();
    }

    void run_loop(net::io_context& context) {
        for (;;) {
            try {
                if (state->options.io_spin_us == 0) {
                    context.run();
                } else {
                    run_spinning(context, std::chrono::microseconds(state->options.io_spin_us));
                }
                return;
            } catch (const std::exception& e) {
                // handlers are guarded; this is a last line of defence
                state->log->error("exception escaped an I/O handler: {}", e.what());
            } catch (...) {
                state->log->error("unknown exception escaped an I/O handler");
            }
        }
    }

    /// Like context.run(), but after each burst of handlers keeps polling (non-blocking) for
    /// `spin` before it blocks again. A thread that has slept in epoll_wait takes ~50 us to be
    /// woken on a 2-vCPU VM: more than a two-word query on a small index costs. With a client
    /// that sends its next request within the budget (keep-alive, a results page fetching
    /// suggestions, a load balancer's pooled connection), the request is picked up without that
    /// wake-up. sched_yield between polls hands the core to any runnable thread, so a busy
    /// machine loses little; an idle one burns at most `spin` per request.
    static void run_spinning(net::io_context& context, std::chrono::microseconds spin) {
        using Clock = std::chrono::steady_clock;
        while (context.run_one() > 0) {
            auto last_work = Clock::now();
            while (Clock::now() - last_work < spin) {
                if (context.poll() > 0) {
                    last_work = Clock::now();
                } else if (context.stopped()) {
                    return;
                } else {
                    std::this_thread::yield();
                }
            }
        }
    }

    void begin_drain(std::uint32_t drain_timeout_s) {
        state->draining.store(true);
        if (listener) {
            listener->close();
        }
        for (const auto& session : state->live_sessions()) {
            session->drain();
        }
        drain_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(drain_timeout_s);
        drain_timer.emplace(control);
        poll_drain();
    }

    void poll_drain() {
        if (state->open_connections.load() == 0 ||
            std::chrono::steady_clock::now() >= drain_deadline) {
            finish();
            return;
        }
        drain_timer->expires_after(drain_poll);
        drain_timer->async_wait([this](const boost::system::error_code& ec) {
            if (!ec) {
                poll_drain();
            }
        });
    }

    void finish() {
        if (signals) {
            boost::system::error_code ec;
            signals->cancel(ec);
        }
        work.clear();
        stop_all();
    }

    void wait_signal() {
        signals->async_wait([this](const boost::system::error_code& ec, int signo) {
            if (ec) {
                return;
            }
            try {
                if (on_signal) {
                    on_signal(signo);
                }
            } catch (const std::exception& e) {
                state->log->error("signal callback threw: {}", e.what());
            } catch (...) {
                state->log->error("signal callback threw");
            }
            if (signo == SIGHUP) {
                wait_signal();
                return;
            }
            if (stopping.exchange(true)) {
                state->log->warn("second signal {}: stopping without waiting", signo);
                finish();
                return;
            }
            begin_drain(signal_drain_s);
            wait_signal(); // a second SIGINT/SIGTERM cuts the drain short
        });
    }
};

Server::Server(ServerOptions options, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

Server::~Server() = default;

void Server::start() {
    const auto& options = impl_->state->options;
    boost::system::error_code ec;
    tcp::endpoint endpoint;
    const auto address = net::ip::make_address(options.host, ec);
    if (!ec) {
        endpoint = tcp::endpoint(address, options.port);
    } else {
        tcp::resolver resolver(impl_->ioc);
        const auto results = resolver.resolve(options.host, std::to_string(options.port), ec);
        if (ec || results.empty()) {
            throw std::system_error(ec ? std::error_code(ec)
                                       : std::make_error_code(std::errc::invalid_argument),
                                    "cannot resolve listen host '" + options.host + "'");
        }
        endpoint = results.begin()->endpoint();
    }
    std::vector<net::io_context*> session_iocs;
    for (const auto& c : impl_->iocs) {
        session_iocs.push_back(c.get());
    }
    auto listener = std::make_shared<detail::Listener>(impl_->ioc, std::move(session_iocs), impl_->state);
    try {
        listener->open(endpoint);
    } catch (const boost::system::system_error& e) {
        throw std::system_error(std::error_code(e.code()),
                                "cannot listen on " + options.host + ":" +
                                    std::to_string(options.port));
    }
    impl_->port.store(listener->port());
    impl_->listener = listener;
    impl_->work.clear();
    for (const auto& c : impl_->iocs) {
        impl_->work.push_back(net::make_work_guard(*c));
    }
    listener->run();
    impl_->state->log->info("listening on {}:{}", endpoint.address().to_string(), listener->port());
}

unsigned short Server::port() const noexcept {
    return impl_->port.load();
}

void Server::run() {
    {
        std::lock_guard lock(impl_->run_mutex);
        ++impl_->runners;
    }
    std::vector<std::thread> threads;
    const std::size_t extra = impl_->iocs.size() - 1;
    try {
        threads.reserve(extra);
        for (std::size_t i = 1; i <= extra; ++i) {
            threads.emplace_back([this, i] { impl_->run_loop(*impl_->iocs[i]); });
        }
    } catch (...) {
        // An io_context without a thread would strand its connections: run it here too.
        impl_->state->log->error("could not start all I/O threads; running with {}",
                                 threads.size() + 1);
    }
    if (threads.size() == extra) {
        impl_->run_loop(impl_->ioc);
    } else {
        // Fallback: the calling thread serves iocs[0] and every io_context left without one.
        while (!impl_->ioc.stopped()) {
            try {
                impl_->ioc.run_one_for(std::chrono::milliseconds(1));
                for (std::size_t i = threads.size() + 1; i < impl_->iocs.size(); ++i) {
                    impl_->iocs[i]->poll();
                }
            } catch (const std::exception& e) {
                impl_->state->log->error("exception escaped an I/O handler: {}", e.what());
            }
        }
    }
    for (auto& thread : threads) {
        thread.join();
    }
    {
        std::lock_guard lock(impl_->run_mutex);
        --impl_->runners;
    }
    impl_->run_cv.notify_all();
}

void Server::stop(std::uint32_t drain_timeout_s) {
    if (impl_->stopping.exchange(true)) {
        return;
    }
    Impl* impl = impl_.get();
    net::post(impl->control, [impl, drain_timeout_s] { impl->begin_drain(drain_timeout_s); });
}

std::size_t Server::open_connections() const noexcept {
    return impl_->state->open_connections.load();
}

void Server::handle_signals(std::function<void(int)> on_signal, std::uint32_t drain_timeout_s) {
    impl_->on_signal = std::move(on_signal);
    impl_->signal_drain_s = drain_timeout_s;
    impl_->signals.emplace(impl_->control, SIGINT, SIGTERM, SIGHUP);
    impl_->wait_signal();
}

} // namespace gazette::httpd
