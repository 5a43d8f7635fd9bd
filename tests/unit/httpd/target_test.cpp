#include "httpd/detail/target.hpp"

#include <gtest/gtest.h>

namespace gazette::httpd::detail {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

struct TargetCase {
    const char* target;
    const char* path;
    const char* raw_path;
    Pairs query;
};

TEST(ParseTarget, DecodesPathAndQuery) {
    const std::vector<TargetCase> cases = {
        {"/", "/", "/", {}},
        {"/search?q=a%20b", "/search", "/search", {{"q", "a b"}}},
        {"/search?q=gas+pipeline&topic=energy&topic=military",
         "/search",
         "/search",
         {{"q", "gas pipeline"}, {"topic", "energy"}, {"topic", "military"}}},
        {"/articles/business%2F001", "/articles/business/001", "/articles/business%2F001", {}},
        {"/a+b?x=%2B1", "/a+b", "/a+b", {{"x", "+1"}}}, // '+' is a space only in the query
        {"/p?flag&k=&=v&&z=1", "/p", "/p", {{"flag", ""}, {"k", ""}, {"", "v"}, {"z", "1"}}},
        {"/p?q=a=b", "/p", "/p", {{"q", "a=b"}}},
        {"/caf%C3%A9?q=%c3%a9", "/caf\xC3\xA9", "/caf%C3%A9", {{"q", "\xC3\xA9"}}},
        {"/x#frag", "/x", "/x", {}},
        {"http://example.org/a%20b?q=1", "/a b", "/a%20b", {{"q", "1"}}},
        {"HTTP://example.org", "/", "/", {}},
        {"http://example.org?q=1", "/", "/", {{"q", "1"}}},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.target);
        auto parsed = parse_target(c.target);
        ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
        EXPECT_EQ(parsed->path, c.path);
        EXPECT_EQ(parsed->raw_path, c.raw_path);
        EXPECT_EQ(parsed->query, c.query);
    }
}

TEST(ParseTarget, RejectsMalformedTargets) {
    for (const char* target : {"",
                               "*",
                               "relative/path",
                               "/a%zz",
                               "/a%2",
                               "/a%",
                               "/q?x=%G1",
                               "/q?x=%",
                               "/nul%00byte",
                               "/q?%00=1"}) {
        SCOPED_TRACE(target);
        auto parsed = parse_target(target);
        ASSERT_FALSE(parsed.has_value());
        EXPECT_EQ(parsed.error().code, ErrorCode::bad_request);
    }
}

TEST(PercentDecode, PlusOnlyWhenAsked) {
    EXPECT_EQ(percent_decode("a+b%41", true), std::optional<std::string>("a bA"));
    EXPECT_EQ(percent_decode("a+b%41", false), std::optional<std::string>("a+bA"));
    EXPECT_FALSE(percent_decode("%4", false).has_value());
}

} // namespace
} // namespace gazette::httpd::detail
