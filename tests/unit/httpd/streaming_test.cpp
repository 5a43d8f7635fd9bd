#include "test_support.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>

namespace gazette::httpd::test {
namespace {

/// One worker thread running queued jobs, to deliver chunks from a foreign thread.
class WorkQueue {
public:
    WorkQueue() : thread_([this] { loop(); }) {}
    ~WorkQueue() {
        {
            std::lock_guard lock(mutex_);
            done_ = true;
        }
        cv_.notify_all();
        thread_.join();
    }
    WorkQueue(const WorkQueue&) = delete;
    WorkQueue& operator=(const WorkQueue&) = delete;

    void push(std::function<void()> job) {
        {
            std::lock_guard lock(mutex_);
            jobs_.push_back(std::move(job));
        }
        cv_.notify_one();
    }

private:
    void loop() {
        for (;;) {
            std::function<void()> job;
            {
                std::unique_lock lock(mutex_);
                cv_.wait(lock, [this] { return done_ || !jobs_.empty(); });
                if (jobs_.empty()) {
                    return;
                }
                job = std::move(jobs_.front());
                jobs_.pop_front();
            }
            job();
        }
    }

    std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<std::function<void()>> jobs_;
    bool done_ = false;
    std::thread thread_;
};

std::string line(int i) {
    return "line " + std::to_string(i) + "\n";
}

/// Produces `count` lines. Every third call delivers from the worker thread, every seventh
/// delivers an empty non-final chunk (it must not end the body). The end is either carried by
/// the last line or by a final empty chunk. Records overlapping next() calls.
class CountingSource : public ChunkSource {
public:
    CountingSource(int count, WorkQueue& queue, bool last_with_data)
        : count_(count), queue_(queue), last_with_data_(last_with_data) {}

    void next(std::function<void(std::string, bool)> deliver) override {
        if (outstanding_.fetch_add(1) != 0) {
            overlapped_ = true;
        }
        const int call = calls_++;
        std::string chunk;
        bool last = false;
        if (call % 7 == 6) {
            // empty, not last
        } else if (line_ < count_) {
            chunk = line(line_++);
            last = last_with_data_ && line_ == count_;
        } else {
            last = true;
        }
        auto send = [this, chunk = std::move(chunk), last, deliver = std::move(deliver)]() mutable {
            outstanding_.fetch_sub(1);
            deliver(std::move(chunk), last);
        };
        if (call % 3 == 0) {
            queue_.push(std::move(send));
        } else {
            send();
        }
    }
    void cancel() override { cancelled_ = true; }

    std::atomic<bool> overlapped_{false};
    std::atomic<bool> cancelled_{false};

private:
    int count_;
    WorkQueue& queue_;
    bool last_with_data_;
    int calls_ = 0; // next() calls never overlap (checked), so no atomics needed
    int line_ = 0;
    std::atomic<int> outstanding_{0};
};

/// Never ends; 64 KiB per chunk.
class EndlessSource : public ChunkSource {
public:
    void next(std::function<void(std::string, bool)> deliver) override {
        ++chunks_;
        deliver(std::string(64 * 1024, 'z'), false);
    }
    void cancel() override { cancelled_ = true; }
    std::atomic<int> chunks_{0};
    std::atomic<bool> cancelled_{false};
};

TEST(Streaming, ManyChunksReassembleInOrder) {
    constexpr int count = 2000;
    WorkQueue queue;
    std::shared_ptr<CountingSource> source;
    std::string expected;
    for (int i = 0; i < count; ++i) {
        expected += line(i);
    }
    TestServer server({}, [&](Request&&, Responder respond) {
        source = std::make_shared<CountingSource>(count, queue, false);
        Response response;
        response.content_type = "application/x-ndjson";
        response.stream = source;
        respond(std::move(response));
    });
    Client client(server.port());
    auto response = client.request(get("/export"));
    EXPECT_EQ(response.result_int(), 200);
    EXPECT_EQ(response[http::field::transfer_encoding], "chunked");
    EXPECT_EQ(response[http::field::content_type], "application/x-ndjson");
    EXPECT_EQ(response.body(), expected);
    EXPECT_FALSE(source->overlapped_.load()) << "next() was called before the previous delivery";
    EXPECT_FALSE(source->cancelled_.load());
    // keep-alive survives a streamed response
    EXPECT_TRUE(response.keep_alive());
    auto again = client.request(get("/export"));
    EXPECT_EQ(again.body(), expected);
}

TEST(Streaming, Http10GetsUnchunkedBodyEndedByClose) {
    WorkQueue queue;
    TestServer server({}, [&](Request&&, Responder respond) {
        Response response;
        response.stream = std::make_shared<CountingSource>(10, queue, true);
        respond(std::move(response));
    });
    Client client(server.port());
    client.send("GET /export HTTP/1.0\r\n\r\n");
    const std::string raw = client.read_until_close();
    std::string expected;
    for (int i = 0; i < 10; ++i) {
        expected += line(i);
    }
    EXPECT_EQ(raw.find("chunked"), std::string::npos) << raw;
    EXPECT_TRUE(raw.ends_with("\r\n\r\n" + expected)) << raw;
}

TEST(Streaming, ClientDisconnectCancelsSource) {
    auto source = std::make_shared<EndlessSource>();
    TestServer server({}, [&](Request&&, Responder respond) {
        Response response;
        response.stream = source;
        respond(std::move(response));
    });
    {
        Client client(server.port());
        client.send(get("/export"));
        std::array<char, 4096> some{};
        client.socket().read_some(net::buffer(some));
    } // the client hangs up mid-stream
    EXPECT_TRUE(wait_for([&] { return source->cancelled_.load(); }));
    EXPECT_TRUE(wait_for([&] { return server.server().open_connections() == 0; }));
    // the server paused instead of producing ahead of the socket: far less than it would
    // have produced if chunks were queued in memory
    EXPECT_LT(source->chunks_.load(), 1000);
}

TEST(Streaming, HeadOfStreamSendsHeadersOnly) {
    auto source = std::make_shared<EndlessSource>();
    TestServer server({}, [&](Request&&, Responder respond) {
        Response response;
        response.stream = source;
        respond(std::move(response));
    });
    Client client(server.port());
    client.send("HEAD /export HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    const std::string raw = client.read_until_close();
    EXPECT_TRUE(raw.starts_with("HTTP/1.1 200")) << raw;
    EXPECT_TRUE(raw.ends_with("\r\n\r\n")) << raw;
    EXPECT_EQ(source->chunks_.load(), 0);
    EXPECT_TRUE(source->cancelled_.load());
}

} // namespace
} // namespace gazette::httpd::test
