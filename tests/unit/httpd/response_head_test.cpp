// response_head.hpp writes plain response heads by hand; the bytes must be the ones Beast's
// own serializer writes for the same message (the way httpd built responses before).

#include "httpd/detail/response_head.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

namespace gazette::httpd::detail {
namespace {

namespace http = boost::beast::http;

/// The message as session.cpp assembled it with Beast, serialized by Beast.
std::string beast_bytes(const HeadFields& h, const Response& r, const std::string& body) {
    http::response<http::string_body> res;
    res.version(h.version);
    res.result(h.status);
    res.set(http::field::server, *h.server);
    res.set("X-Request-Id", *h.request_id);
    if (!r.content_type.empty()) {
        res.set(http::field::content_type, r.content_type);
    }
    for (const auto& [name, value] : r.headers) {
        if (boost::beast::iequals(name, "content-length") || boost::beast::iequals(name, "transfer-encoding") ||
            boost::beast::iequals(name, "connection")) {
            continue;
        }
        if (boost::beast::iequals(name, "content-type")) {
            res.set(http::field::content_type, value);
        } else {
            res.insert(name, value);
        }
    }
    res.keep_alive(h.keep_alive);
    if (h.content_length) {
        res.content_length(*h.content_length);
    }
    res.body() = body;
    std::ostringstream out;
    out << res;
    return out.str();
}

std::string ours(const HeadFields& h, const Response& r, const std::string& body) {
    std::string out;
    append_response_head(out, h, r);
    return out + body;
}

TEST(ResponseHead, SameBytesAsBeastForEveryFraming) {
    const std::string server = "gazette-searchd/1.0";
    const std::string id = "req-42";
    std::vector<Response> responses(4);
    responses[0].body = R"({"hits":[]})";
    responses[1].status = 404;
    responses[1].body = R"({"error":{"code":"not_found"}})";
    responses[1].headers = {{"Cache-Control", "no-store"}, {"Access-Control-Allow-Origin", "*"}, {"Vary", "Origin"}};
    responses[2].status = 204;
    responses[2].content_type.clear();
    responses[3].status = 200;
    responses[3].body = "a,b\n1,2\n";
    // framing headers from a handler are ignored; a handler Content-Type replaces the default
    responses[3].headers = {{"X-First", "1"},  {"content-type", "text/plain"}, {"Content-Length", "999"},
                            {"Connection", "upgrade"}, {"Transfer-Encoding", "chunked"},
                            {"Content-Type", "text/csv; charset=utf-8"}, {"x-last", "2"}};
    for (const unsigned version : {10U, 11U}) {
        for (const bool keep : {true, false}) {
            for (const auto& r : responses) {
                for (const bool head_request : {false, true}) {
                    HeadFields h;
                    h.version = version;
                    h.status = r.status;
                    h.server = &server;
                    h.request_id = &id;
                    h.keep_alive = keep;
                    std::string body;
                    if (r.status != 204) {
                        h.content_length = r.body.size();
                        body = head_request ? "" : r.body;
                    }
                    SCOPED_TRACE(testing::Message() << "HTTP/" << version << " keep=" << keep << " status=" << r.status
                                                    << " head=" << head_request);
                    EXPECT_EQ(ours(h, r, body), beast_bytes(h, r, body));
                }
            }
        }
    }
}

TEST(ResponseHead, ReasonPhrasesAndUnknownStatuses) {
    const std::string server = "s";
    const std::string id = "i";
    for (const unsigned status : {200U, 400U, 405U, 413U, 414U, 429U, 500U, 503U, 599U}) {
        Response r;
        r.status = status;
        HeadFields h;
        h.status = status;
        h.server = &server;
        h.request_id = &id;
        h.content_length = 0;
        EXPECT_EQ(ours(h, r, ""), beast_bytes(h, r, "")) << status;
    }
}

TEST(ResponseHead, HeaderInjectionIsDropped) {
    const std::string server = "s";
    const std::string id = "i";
    Response r;
    r.headers = {{"X-Ok", "fine"}, {"X-Bad", "a\r\nSet-Cookie: stolen=1"}, {"X-Bad\r\nInjected", "v"},
                 {"Bad Name", "v"}, {"", "v"}};
    HeadFields h;
    h.server = &server;
    h.request_id = &id;
    h.content_length = 2;
    std::string out;
    append_response_head(out, h, r);
    EXPECT_NE(out.find("X-Ok: fine\r\n"), std::string::npos);
    EXPECT_EQ(out.find("stolen"), std::string::npos);
    EXPECT_EQ(out.find("Injected"), std::string::npos);
    EXPECT_EQ(out.find("Bad Name"), std::string::npos);
    EXPECT_EQ(out.find("\r\n: v"), std::string::npos);
    // the head is still well formed: every line ends in CRLF and it ends with a blank line
    EXPECT_EQ(out.substr(out.size() - 4), "\r\n\r\n");
    EXPECT_EQ(out.find('\n'), out.find("\r\n") + 1);
}

} // namespace
} // namespace gazette::httpd::detail
