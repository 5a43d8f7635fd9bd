#include "httpd/server.hpp"

#include <boost/json.hpp>

#include <gtest/gtest.h>

namespace gazette::httpd {
namespace {

TEST(ErrorBody, HasCodeAndMessageOnly) {
    const auto v = boost::json::parse(error_body("bad_query", "unexpected ')'"));
    const auto& error = v.at("error").as_object();
    EXPECT_EQ(error.at("code").as_string(), "bad_query");
    EXPECT_EQ(error.at("message").as_string(), "unexpected ')'");
    EXPECT_FALSE(error.contains("request_id"));
    EXPECT_FALSE(error.contains("position"));
}

TEST(ErrorBody, OptionalFieldsAndEscaping) {
    const std::string body =
        error_body("bad_query", "quote \" backslash \\ newline \n <tag>", "abc-1", 7);
    const auto v = boost::json::parse(body); // throws if the escaping is wrong
    const auto& error = v.at("error").as_object();
    EXPECT_EQ(error.at("message").as_string(), "quote \" backslash \\ newline \n <tag>");
    EXPECT_EQ(error.at("request_id").as_string(), "abc-1");
    EXPECT_EQ(error.at("position").as_int64(), 7);
}

TEST(ErrorBody, MessagesQuotingInvalidUtf8StayValidJson) {
    // e.g. "no article with id '\xff\xfe'" from /articles/%FF%FE
    const std::string body = error_body("not_found", std::string("no article with id '\xff\xfe'"));
    boost::system::error_code ec;
    const auto v = boost::json::parse(body, ec);
    ASSERT_FALSE(ec) << "the body must be valid UTF-8 JSON";
    const std::string message(v.at("error").at("message").as_string());
    EXPECT_EQ(message.rfind("no article with id '", 0), 0U) << message;
    EXPECT_EQ(message.find('\xff'), std::string::npos) << message;
}

} // namespace
} // namespace gazette::httpd
