#include "test_support.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace gazette::httpd::test {
namespace {

/// Answers with a JSON echo of what the handler saw.
void echo(Request&& request, const Responder& respond) {
    boost::json::object o;
    o["method"] = request.method;
    o["path"] = request.path;
    o["raw_path"] = request.raw_path;
    boost::json::array query;
    for (const auto& [k, v] : request.query) {
        query.push_back(boost::json::array{boost::json::string(k), boost::json::string(v)});
    }
    o["query"] = std::move(query);
    o["body"] = request.body;
    o["host"] = request.header("host").value_or("");
    o["request_id"] = request.request_id;
    o["remote_ip"] = request.remote_ip;
    Response response;
    response.body = boost::json::serialize(o);
    respond(std::move(response));
}

std::string error_code_of(const http::response<http::string_body>& response) {
    return std::string(json_of(response.body()).at("error").at("code").as_string());
}

TEST(Server, EchoesDecodedPathAndQuery) {
    TestServer server({}, echo);
    Client client(server.port());
    auto response = client.request(get("/articles/business%2F001?q=gas+pipeline&q=%C3%A9&flag"));
    ASSERT_EQ(response.result_int(), 200);
    EXPECT_EQ(response[http::field::content_type], "application/json");
    EXPECT_EQ(response[http::field::server], "gazette");
    const auto body = json_of(response.body());
    EXPECT_EQ(body.at("method").as_string(), "GET");
    EXPECT_EQ(body.at("path").as_string(), "/articles/business/001");
    EXPECT_EQ(body.at("raw_path").as_string(), "/articles/business%2F001");
    EXPECT_EQ(boost::json::serialize(body.at("query")),
              "[[\"q\",\"gas pipeline\"],[\"q\",\"\xC3\xA9\"],[\"flag\",\"\"]]");
    EXPECT_EQ(body.at("host").as_string(), "test"); // header names were lower-cased
    EXPECT_EQ(body.at("remote_ip").as_string(), "127.0.0.1");
    // the X-Request-Id header carries the id the handler saw
    EXPECT_FALSE(response["X-Request-Id"].empty());
    EXPECT_EQ(response["X-Request-Id"], body.at("request_id").as_string());
}

TEST(Server, KeepAliveServesTwoRequestsOnOneConnection) {
    std::atomic<int> calls{0};
    TestServer server({}, [&](Request&& request, Responder respond) {
        ++calls;
        respond(text(request.path));
    });
    Client client(server.port());
    auto first = client.request(get("/one"));
    auto second = client.request(get("/two"));
    EXPECT_EQ(first.body(), "/one");
    EXPECT_EQ(second.body(), "/two");
    EXPECT_TRUE(first.keep_alive());
    EXPECT_NE(first["X-Request-Id"], second["X-Request-Id"]);
    // pipelined: both requests in one write, answered in order
    client.send(get("/three") + get("/four"));
    EXPECT_EQ(client.read_response().body(), "/three");
    EXPECT_EQ(client.read_response().body(), "/four");
    EXPECT_EQ(calls.load(), 4);
    EXPECT_EQ(server.server().open_connections(), 1u);
}

TEST(Server, ConnectionCloseAndHttp10CloseAfterResponse) {
    TestServer server({}, [](Request&&, Responder respond) { respond(text("bye")); });
    {
        Client client(server.port());
        client.send(get("/", "Connection: close\r\n"));
        const std::string raw = client.read_until_close();
        EXPECT_NE(raw.find("Connection: close"), std::string::npos);
        EXPECT_TRUE(raw.ends_with("\r\n\r\nbye")) << raw;
    }
    {
        Client client(server.port());
        client.send("GET / HTTP/1.0\r\n\r\n"); // no Host needed on 1.0
        const std::string raw = client.read_until_close();
        EXPECT_TRUE(raw.starts_with("HTTP/1.0 200")) << raw;
        EXPECT_TRUE(raw.ends_with("bye"));
    }
    {
        Client client(server.port());
        client.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        auto response = client.read_response();
        EXPECT_TRUE(response.keep_alive());
        EXPECT_EQ(client.request("GET / HTTP/1.0\r\n\r\n").body(), "bye");
    }
}

TEST(Server, ResponseCloseIsHonoured) {
    TestServer server({}, [](Request&&, Responder respond) {
        Response response = text("done");
        response.close = true;
        respond(std::move(response));
    });
    Client client(server.port());
    client.send(get("/"));
    const std::string raw = client.read_until_close();
    EXPECT_NE(raw.find("Connection: close"), std::string::npos);
    EXPECT_TRUE(raw.ends_with("done"));
}

TEST(Server, HeadHasLengthButNoBody) {
    TestServer server({}, [](Request&&, Responder respond) { respond(text("twelve bytes")); });
    Client client(server.port());
    client.send("HEAD /x HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    const std::string raw = client.read_until_close();
    EXPECT_NE(raw.find("Content-Length: 12\r\n"), std::string::npos) << raw;
    EXPECT_TRUE(raw.ends_with("\r\n\r\n")) << raw;
}

TEST(Server, ExtraHeadersAndStatusPassThrough) {
    TestServer server({}, [](Request&&, Responder respond) {
        Response response = text("slow down", 429);
        response.headers = {{"Retry-After", "3"}, {"Content-Length", "999"}};
        respond(std::move(response));
    });
    Client client(server.port());
    auto response = client.request(get("/"));
    EXPECT_EQ(response.result_int(), 429);
    EXPECT_EQ(response["Retry-After"], "3");
    EXPECT_EQ(response.body(), "slow down"); // the handler cannot break the framing
}

TEST(Server, PostBodyReachesHandler) {
    TestServer server({}, echo);
    Client client(server.port());
    auto response = client.request(
        "POST /articles HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\n\r\nhello world");
    EXPECT_EQ(json_of(response.body()).at("body").as_string(), "hello world");
    auto chunked =
        client.request("POST /a HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                       "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
    EXPECT_EQ(json_of(chunked.body()).at("body").as_string(), "hello world");
    // Expect: 100-continue gets the interim response before the body is sent
    client.send("POST /c HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
    std::array<char, 64> interim{};
    const std::size_t n = client.socket().read_some(net::buffer(interim));
    EXPECT_EQ(std::string(interim.data(), n), "HTTP/1.1 100 Continue\r\n\r\n");
    client.send("abc");
    EXPECT_EQ(json_of(client.read_response().body()).at("body").as_string(), "abc");
}

// ---- refusals done by the server, never seen by the handler --------------------------------

struct Refusal {
    const char* name;
    std::string request;
    unsigned status;
    const char* code;
};

TEST(Server, RefusesBadRequestsBeforeTheHandler) {
    ServerOptions options;
    options.max_body_bytes = 1024;
    std::atomic<int> calls{0};
    TestServer server(options, [&](Request&&, Responder respond) {
        ++calls;
        respond(text("handled"));
    });
    std::string many_headers = "GET / HTTP/1.1\r\nHost: t\r\n";
    for (int i = 0; i < 101; ++i) {
        many_headers += "X-H" + std::to_string(i) + ": v\r\n";
    }
    many_headers += "\r\n";
    const std::vector<Refusal> refusals = {
        {"uri over max_uri_bytes", get("/" + std::string(9000, 'a')), 414, "too_large"},
        {"uri beyond the parser limit", get("/" + std::string(40000, 'a')), 414, "too_large"},
        {"one huge header",
         get("/", "X-Big: " + std::string(20000, 'b') + "\r\n"),
         431,
         "too_large"},
        {"headers beyond the parser limit",
         get("/", "X-Big: " + std::string(40000, 'b') + "\r\n"),
         431,
         "too_large"},
        {"too many headers", many_headers, 431, "too_large"},
        {"body over max_body_bytes",
         "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n" + std::string(5000, 'x'),
         413,
         "too_large"},
        {"chunked body over max_body_bytes",
         "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n" +
             std::string(2048, 'x') + "\r\n0\r\n\r\n",
         413,
         "too_large"},
        {"HTTP/2.0", "GET / HTTP/2.0\r\nHost: t\r\n\r\n", 505, "unsupported"},
        {"HTTP/1.2", "GET / HTTP/1.2\r\nHost: t\r\n\r\n", 505, "unsupported"},
        {"missing Host", "GET / HTTP/1.1\r\n\r\n", 400, "bad_request"},
        {"TE with CL",
         "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
         "0\r\n\r\n",
         400,
         "bad_request"},
        {"CL with TE",
         "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n"
         "0\r\n\r\n",
         400,
         "bad_request"},
        {"TE gzip",
         "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\n",
         400,
         "bad_request"},
        {"TE gzip, chunked",
         "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
         400,
         "bad_request"},
        {"bad percent-encoding", get("/a%zz"), 400, "bad_request"},
        {"relative target", "GET a/b HTTP/1.1\r\nHost: t\r\n\r\n", 400, "bad_request"},
        {"garbage", "HELLO\r\n\r\n", 400, "bad_request"},
    };
    for (const auto& refusal : refusals) {
        SCOPED_TRACE(refusal.name);
        Client client(server.port());
        client.send(refusal.request);
        auto response = client.read_response();
        EXPECT_EQ(response.result_int(), refusal.status);
        EXPECT_EQ(response[http::field::content_type], "application/json");
        EXPECT_FALSE(response.keep_alive());
        const auto body = json_of(response.body());
        EXPECT_EQ(body.at("error").at("code").as_string(), refusal.code);
        EXPECT_EQ(body.at("error").at("request_id").as_string(), response["X-Request-Id"]);
    }
    EXPECT_EQ(calls.load(), 0);
    // limits are inclusive: exactly max_body_bytes is fine
    Client client(server.port());
    auto ok = client.request("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 1024\r\n\r\n" +
                             std::string(1024, 'x'));
    EXPECT_EQ(ok.result_int(), 200);
    EXPECT_EQ(calls.load(), 1);
}

// ---- handlers that answer late, twice, never, or throw -------------------------------------

TEST(Server, HandlerMayAnswerFromAnotherThread) {
    std::mutex mutex;
    std::vector<std::thread> workers;
    {
        TestServer server({}, [&](Request&& request, Responder respond) {
            std::lock_guard lock(mutex);
            workers.emplace_back([path = request.path, respond = std::move(respond)] {
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
                respond(text("late " + path));
            });
        });
        Client client(server.port());
        EXPECT_EQ(client.request(get("/a")).body(), "late /a");
        EXPECT_EQ(client.request(get("/b")).body(), "late /b");
        std::lock_guard lock(mutex);
        for (auto& worker : workers) {
            worker.join();
        }
    }
    EXPECT_EQ(workers.size(), 2u);
}

TEST(Server, ThrowingHandlerGives500WithRequestId) {
    TestServer server({}, [](Request&&, Responder) { throw std::runtime_error("secret detail"); });
    Client client(server.port());
    auto response = client.request(get("/boom"));
    EXPECT_EQ(response.result_int(), 500);
    EXPECT_EQ(error_code_of(response), "internal");
    EXPECT_EQ(json_of(response.body()).at("error").at("request_id").as_string(),
              response["X-Request-Id"]);
    EXPECT_EQ(response.body().find("secret detail"), std::string::npos); // details only in the log
    // the connection survives
    EXPECT_EQ(client.request(get("/again")).result_int(), 500);
}

TEST(Server, SecondResponderCallIsIgnoredAndDroppedResponderGives500) {
    TestServer server({}, [](Request&& request, Responder respond) {
        if (request.path == "/twice") {
            respond(text("first"));
            respond(text("second"));
        } // "/never": the responder is dropped without a call
    });
    Client client(server.port());
    EXPECT_EQ(client.request(get("/twice")).body(), "first");
    auto dropped = client.request(get("/never"));
    EXPECT_EQ(dropped.result_int(), 500);
    EXPECT_EQ(error_code_of(dropped), "internal");
    EXPECT_EQ(client.request(get("/twice")).body(), "first"); // no stray "second" in between
}

TEST(Server, AccessCallbackSeesEveryResponse) {
    std::mutex mutex;
    std::vector<AccessRecord> records;
    ServerOptions options;
    options.on_access = [&](const AccessRecord& record) {
        std::lock_guard lock(mutex);
        records.push_back(record);
    };
    TestServer server(options, [](Request&&, Responder respond) { respond(text("12345")); });
    Client client(server.port());
    auto response = client.request(get("/logged?x=1"));
    client.request(get("/x%zz"));
    ASSERT_TRUE(wait_for([&] {
        std::lock_guard lock(mutex);
        return records.size() == 2;
    }));
    std::lock_guard lock(mutex);
    EXPECT_EQ(records[0].status, 200u);
    EXPECT_EQ(records[0].bytes, 5u);
    EXPECT_EQ(records[0].method, "GET");
    EXPECT_EQ(records[0].target, "/logged?x=1");
    EXPECT_EQ(records[0].request_id, response["X-Request-Id"]);
    EXPECT_GE(records[0].latency_ms, 0.0);
    EXPECT_EQ(records[1].status, 400u);
}

// ---- limits on connections and time -------------------------------------------------------

TEST(Server, HeaderReadTimeoutClosesSlowloris) {
    ServerOptions options;
    options.header_read_timeout_s = 1;
    TestServer server(options, [](Request&&, Responder respond) { respond(text("ok")); });
    Client client(server.port());
    const auto start = std::chrono::steady_clock::now();
    client.send("GET / HTTP/1.1\r\nHost: t\r\n"); // never finishes the header
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    client.send("X-Drip: 1\r\n"); // trickling bytes does not extend the deadline
    boost::system::error_code ec;
    const std::string received = client.read_until_close(&ec);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_TRUE(received.empty()) << received;
    EXPECT_TRUE(ec == net::error::eof || ec == net::error::connection_reset) << ec.message();
    EXPECT_GE(elapsed, std::chrono::milliseconds(900));
    EXPECT_LT(elapsed, std::chrono::seconds(4));
    EXPECT_TRUE(wait_for([&] { return server.server().open_connections() == 0; }));
}

TEST(Server, KeepAliveIdleTimeoutClosesIdleConnection) {
    ServerOptions options;
    options.keep_alive_idle_s = 1;
    TestServer server(options, [](Request&&, Responder respond) { respond(text("ok")); });
    Client client(server.port());
    EXPECT_EQ(client.request(get("/")).body(), "ok");
    const auto start = std::chrono::steady_clock::now();
    boost::system::error_code ec;
    EXPECT_TRUE(client.read_until_close(&ec).empty());
    EXPECT_EQ(ec, net::error::eof);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4));
}

TEST(Server, MaxConnectionsRefusesExtraConnections) {
    ServerOptions options;
    options.max_connections = 2;
    TestServer server(options, [](Request&&, Responder respond) { respond(text("ok")); });
    auto first = std::make_unique<Client>(server.port());
    Client second(server.port());
    ASSERT_TRUE(wait_for([&] { return server.server().open_connections() == 2; }));

    Client third(server.port());
    boost::system::error_code ec;
    const std::string refused = third.read_until_close(&ec);
    EXPECT_TRUE(refused.empty() || refused.starts_with("HTTP/1.1 503")) << refused;
    EXPECT_NE(ec, net::error::would_block) << "the extra connection was left hanging";
    EXPECT_EQ(server.server().open_connections(), 2u);

    // the held connections still work, and a slot frees up when one goes away
    EXPECT_EQ(second.request(get("/")).body(), "ok");
    first.reset();
    ASSERT_TRUE(wait_for([&] { return server.server().open_connections() == 1; }));
    Client fourth(server.port());
    EXPECT_EQ(fourth.request(get("/")).body(), "ok");
}

// ---- shutdown -------------------------------------------------------------------------------

TEST(Server, StopLetsInFlightRequestFinish) {
    std::atomic<bool> started{false};
    std::thread worker;
    TestServer server({}, [&](Request&&, Responder respond) {
        started = true;
        worker = std::thread([respond = std::move(respond)] {
            std::this_thread::sleep_for(std::chrono::milliseconds(400));
            respond(text("finished"));
            // keeps its responder copy a while: the drain must not wait for that
            std::this_thread::sleep_for(std::chrono::milliseconds(1500));
        });
    });
    Client busy(server.port());
    Client idle(server.port());
    EXPECT_EQ(idle.request(get("/warm")).body(), "finished");
    worker.join();
    started = false;

    busy.send(get("/slow"));
    ASSERT_TRUE(wait_for([&] { return started.load(); }));
    const auto stop_at = std::chrono::steady_clock::now();
    server.server().stop(5);
    // the idle keep-alive connection is closed at once
    boost::system::error_code ec;
    EXPECT_TRUE(idle.read_until_close(&ec).empty());
    // the in-flight request is still answered, with Connection: close
    auto response = busy.read_response();
    EXPECT_EQ(response.body(), "finished");
    EXPECT_FALSE(response.keep_alive());
    server.join(); // run() returns once the drain is over, well before the 5 s deadline
    EXPECT_LT(std::chrono::steady_clock::now() - stop_at, std::chrono::milliseconds(1200));
    worker.join();
    // no longer listening
    EXPECT_THROW(Client{server.port()}, boost::system::system_error);
}

TEST(Server, StopDeadlineEndsRunEvenIfHandlerNeverAnswers) {
    std::mutex mutex;
    Responder kept;
    std::atomic<bool> started{false};
    auto server = std::make_unique<TestServer>(ServerOptions{}, [&](Request&&, Responder respond) {
        std::lock_guard lock(mutex);
        kept = std::move(respond);
        started = true;
    });
    Client client(server->port());
    client.send(get("/stuck"));
    ASSERT_TRUE(wait_for([&] { return started.load(); }));
    const auto stop_at = std::chrono::steady_clock::now();
    server->server().stop(1);
    server->join();
    EXPECT_LT(std::chrono::steady_clock::now() - stop_at, std::chrono::seconds(3));
    server.reset();
    // a worker answering after the server is gone must be harmless
    std::lock_guard lock(mutex);
    kept(text("too late"));
    kept = nullptr;
}

TEST(Server, SignalsCallBackAndStop) {
    std::mutex mutex;
    std::vector<int> seen;
    ServerOptions options;
    options.port = 0;
    Server server(options, [](Request&&, Responder respond) { respond(text("ok")); });
    server.start();
    server.handle_signals(
        [&](int signo) {
            std::lock_guard lock(mutex);
            seen.push_back(signo);
        },
        1);
    std::thread runner([&] { server.run(); });
    ASSERT_EQ(std::raise(SIGHUP), 0);
    ASSERT_TRUE(wait_for([&] {
        std::lock_guard lock(mutex);
        return seen.size() == 1;
    }));
    {
        Client client(server.port()); // SIGHUP did not stop anything
        EXPECT_EQ(client.request(get("/")).body(), "ok");
    }
    ASSERT_EQ(std::raise(SIGTERM), 0);
    runner.join(); // returns because SIGTERM stopped the server
    std::lock_guard lock(mutex);
    EXPECT_EQ(seen, (std::vector<int>{SIGHUP, SIGTERM}));
}

TEST(Server, StartThrowsOnUnusableAddress) {
    TestServer first({}, [](Request&&, Responder respond) { respond(text("ok")); });
    ServerOptions options;
    options.port = first.port(); // already taken
    Server second(options, [](Request&&, Responder respond) { respond(text("ok")); });
    EXPECT_THROW(second.start(), std::system_error);
    options.host = "no-such-host.invalid";
    options.port = 0;
    Server bad_host(options, [](Request&&, Responder respond) { respond(text("ok")); });
    EXPECT_THROW(bad_host.start(), std::system_error);
}

} // namespace
} // namespace gazette::httpd::test

namespace gazette::httpd::test {
namespace {

TEST(Server, ManyClientsOnSeveralIoThreads) {
    ServerOptions options;
    options.io_threads = 4;
    std::atomic<int> calls{0};
    TestServer server(options, [&](Request&& request, Responder respond) {
        ++calls;
        respond(text(request.param("n").value_or("?")));
    });
    std::vector<std::thread> clients;
    std::atomic<int> correct{0};
    for (int c = 0; c < 8; ++c) {
        clients.emplace_back([&, c] {
            try {
                Client client(server.port());
                for (int i = 0; i < 25; ++i) {
                    const std::string n = std::to_string(c * 100 + i);
                    if (client.request(get("/?n=" + n)).body() == n) {
                        ++correct;
                    }
                }
            } catch (const std::exception&) { // counted as missing answers below
            }
        });
    }
    for (auto& client : clients) {
        client.join();
    }
    EXPECT_EQ(correct.load(), 200);
    EXPECT_EQ(calls.load(), 200);
}

TEST(Server, SpinningIoThreadsServeAndStopLikeSleepingOnes) {
    ServerOptions options;
    options.io_threads = 2;
    options.io_spin_us = 200;
    std::atomic<int> calls{0};
    std::vector<std::thread> late;
    std::mutex late_mutex;
    TestServer server(options, [&](Request&& request, Responder respond) {
        ++calls;
        const std::string n = request.param("n").value_or("?");
        if (request.path == "/later") {
            // answered from another thread: the spinning I/O thread must pick the write up
            std::lock_guard lock(late_mutex);
            late.emplace_back([respond = std::move(respond), n] {
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
                respond(text(n));
            });
            return;
        }
        respond(text(n));
    });
    std::vector<std::thread> clients;
    std::atomic<int> correct{0};
    for (int c = 0; c < 4; ++c) {
        clients.emplace_back([&, c] {
            try {
                Client client(server.port());
                for (int i = 0; i < 50; ++i) {
                    const std::string n = std::to_string(c * 100 + i);
                    const std::string path = i % 5 == 0 ? "/later" : "/now";
                    if (client.request(get(path + "?n=" + n)).body() == n) {
                        ++correct;
                    }
                    if (i % 10 == 0) {
                        // idle longer than the spin budget: the thread must wake from epoll
                        std::this_thread::sleep_for(std::chrono::milliseconds(3));
                    }
                }
            } catch (const std::exception&) { // counted as missing answers below
            }
        });
    }
    for (auto& client : clients) {
        client.join();
    }
    EXPECT_EQ(correct.load(), 200);
    EXPECT_EQ(calls.load(), 200);
    const auto stop_at = std::chrono::steady_clock::now();
    server.server().stop(5);
    server.join();
    EXPECT_LT(std::chrono::steady_clock::now() - stop_at, std::chrono::milliseconds(1500));
    for (auto& t : late) {
        t.join();
    }
}

TEST(Server, ConnectionsSpreadOverIoThreadsAndStayOnTheirs) {
    ServerOptions options;
    options.io_threads = 2;
    std::mutex mutex;
    std::map<std::string, std::set<std::thread::id>> threads_of; // connection -> handler threads
    TestServer server(options, [&](Request&& request, Responder respond) {
        {
            std::lock_guard lock(mutex);
            threads_of[request.param("c").value_or("?")].insert(std::this_thread::get_id());
        }
        respond(text("ok"));
    });
    Client a(server.port()); // accepted first: first io_context
    Client b(server.port()); // next one in turn
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(a.request(get("/?c=a")).body(), "ok");
        EXPECT_EQ(b.request(get("/?c=b")).body(), "ok");
    }
    std::lock_guard lock(mutex);
    ASSERT_EQ(threads_of["a"].size(), 1u); // one thread for the whole connection
    ASSERT_EQ(threads_of["b"].size(), 1u);
    EXPECT_NE(*threads_of["a"].begin(), *threads_of["b"].begin()); // round-robin
}

} // namespace
} // namespace gazette::httpd::test
