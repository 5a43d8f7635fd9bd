#include "httpd/server.hpp"

#include <gtest/gtest.h>

namespace gazette::httpd {
namespace {

TEST(Request, ParamsKeepOrderAndRepeats) {
    Request request;
    request.query = {{"topic", "energy"}, {"q", "gas"}, {"topic", "military"}};
    EXPECT_EQ(request.param("topic"), std::optional<std::string>("energy"));
    EXPECT_EQ(request.params("topic"), (std::vector<std::string>{"energy", "military"}));
    EXPECT_FALSE(request.param("missing").has_value());
    EXPECT_TRUE(request.params("missing").empty());
}

TEST(Request, HeaderLookupByLowerCaseName) {
    Request request;
    request.headers = {{"content-type", "application/json"}, {"x-api-key", "k1"}};
    EXPECT_EQ(request.header("x-api-key"), std::optional<std::string>("k1"));
    EXPECT_FALSE(request.header("authorization").has_value());
}

} // namespace
} // namespace gazette::httpd

TEST(PresentedApiKey, BearerOrXApiKey) {
    using Headers = std::vector<std::pair<std::string, std::string>>;
    using gazette::httpd::presented_api_key;
    EXPECT_EQ(presented_api_key(Headers{}), std::nullopt);
    EXPECT_EQ(presented_api_key(Headers{{"authorization", "Bearer abc123"}}), "abc123");
    EXPECT_EQ(presented_api_key(Headers{{"authorization", "  bEaReR   abc123  "}}), "abc123");
    EXPECT_EQ(presented_api_key(Headers{{"x-api-key", " k-1 "}}), "k-1");
    // Authorization wins over X-API-Key.
    EXPECT_EQ(presented_api_key(Headers{{"x-api-key", "other"}, {"authorization", "Bearer abc"}}), "abc");
    // Another scheme is presented but unusable: returned as is so that lookup fails.
    EXPECT_EQ(presented_api_key(Headers{{"authorization", "Basic dXNlcjpwYXNz"}}), "Basic dXNlcjpwYXNz");
}
