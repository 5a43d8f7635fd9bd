// AdminAuth: the key policy of the admin API (see indexer/serve/README.md "Admin keys").

#include "indexer/serve/admin_auth.hpp"

#include <gtest/gtest.h>

namespace gazette::indexer::serve {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

constexpr const char* kAdmin = "admin-key-0123456789abcdef";
constexpr const char* kSearch = "search-key-0123456789abcdef";

Config with_keys(bool admin, bool search) {
    Config c;
    if (admin) {
        c.keys.push_back(ApiKey{kAdmin, {"admin"}, "ops"});
    }
    if (search) {
        c.keys.push_back(ApiKey{kSearch, {"search"}, "site"});
    }
    return c;
}

Headers bearer(const std::string& key) { return {{"authorization", "Bearer " + key}}; }

TEST(AdminAuthTest, NoKeysOnLoopbackIsOpen) {
    for (const char* host : {"127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"}) {
        const AdminAuth auth(Config{}, host);
        EXPECT_TRUE(auth.open_on_loopback()) << host;
        EXPECT_FALSE(auth.locked()) << host;
        EXPECT_FALSE(auth.check({}).has_value()) << host;
        // Whatever is presented, the open loopback setup lets it through.
        EXPECT_FALSE(auth.check(bearer("anything")).has_value()) << host;
    }
}

TEST(AdminAuthTest, NoKeysOnAPublicAddressRefusesEverythingWithAHint) {
    for (const char* host : {"0.0.0.0", "192.168.1.10", "::", "example.org", "128.0.0.1"}) {
        const AdminAuth auth(Config{}, host);
        EXPECT_FALSE(auth.open_on_loopback()) << host;
        EXPECT_TRUE(auth.locked()) << host;
        const auto failure = auth.check(bearer("anything"));
        ASSERT_TRUE(failure.has_value()) << host;
        EXPECT_EQ(failure->status, 403u);
        EXPECT_EQ(failure->code, "forbidden");
        EXPECT_NE(failure->message.find("admin"), std::string::npos) << failure->message;
    }
}

TEST(AdminAuthTest, AnyConfiguredKeyEndsTheLoopbackException) {
    // Only a search key: no admin key exists, so even loopback is locked (403 for everyone,
    // including the search key holder).
    const AdminAuth auth(with_keys(false, true), "127.0.0.1");
    EXPECT_FALSE(auth.open_on_loopback());
    EXPECT_TRUE(auth.locked());
    for (const auto& h : {Headers{}, bearer(kSearch), bearer("nope")}) {
        const auto failure = auth.check(h);
        ASSERT_TRUE(failure.has_value());
        EXPECT_EQ(failure->status, 403u);
    }
}

TEST(AdminAuthTest, AdminKeyIsRequiredAndChecked) {
    const AdminAuth auth(with_keys(true, true), "127.0.0.1");
    EXPECT_FALSE(auth.open_on_loopback());
    EXPECT_FALSE(auth.locked());

    const auto missing = auth.check({});
    ASSERT_TRUE(missing.has_value());
    EXPECT_EQ(missing->status, 401u);
    EXPECT_EQ(missing->code, "unauthorized");

    const auto unknown = auth.check(bearer("not-a-key"));
    ASSERT_TRUE(unknown.has_value());
    EXPECT_EQ(unknown->status, 401u);
    EXPECT_EQ(unknown->code, "unauthorized");

    const auto wrong_scope = auth.check(bearer(kSearch));
    ASSERT_TRUE(wrong_scope.has_value());
    EXPECT_EQ(wrong_scope->status, 403u);
    EXPECT_EQ(wrong_scope->code, "forbidden");

    EXPECT_FALSE(auth.check(bearer(kAdmin)).has_value());
    EXPECT_FALSE(auth.check({{"authorization", std::string("bearer   ") + kAdmin + "  "}}).has_value());
    EXPECT_FALSE(auth.check({{"x-api-key", kAdmin}}).has_value());
    // Other headers are ignored; a non-Bearer Authorization does not count as a key.
    EXPECT_EQ(auth.check({{"cookie", kAdmin}})->status, 401u);
    EXPECT_EQ(auth.check({{"authorization", std::string("Basic ") + kAdmin}})->status, 401u);
}

TEST(AdminAuthTest, OnlyTheExactKeyMatches) {
    // The lookup is Config::find_key, which compares every key in constant time; here we pin
    // that AdminAuth accepts exactly what find_key accepts: no prefix, suffix or case games.
    const Config config = with_keys(true, true);
    const AdminAuth auth(config, "0.0.0.0");
    const std::string admin = kAdmin;
    for (const std::string& presented :
         {admin.substr(0, admin.size() - 1), admin + "x", std::string("ADMIN-KEY-0123456789ABCDEF"), admin.substr(1),
          std::string(1, '\0') + admin, std::string()}) {
        EXPECT_EQ(config.find_key(presented), nullptr);
        const auto failure = auth.check({{"x-api-key", presented}});
        ASSERT_TRUE(failure.has_value()) << presented;
        EXPECT_EQ(failure->status, 401u) << presented;
    }
    ASSERT_NE(config.find_key(admin), nullptr);
    EXPECT_EQ(config.find_key(admin)->name, "ops");
}

TEST(AdminAuthTest, BearerWinsOverXApiKey) {
    const AdminAuth auth(with_keys(true, true), "127.0.0.1");
    EXPECT_EQ(presented_key({{"x-api-key", kSearch}, {"authorization", std::string("Bearer ") + kAdmin}}), kAdmin);
    EXPECT_FALSE(auth.check({{"x-api-key", kSearch}, {"authorization", std::string("Bearer ") + kAdmin}}).has_value());
    EXPECT_EQ(presented_key({}), "");
}

TEST(AdminAuthTest, LoopbackHosts) {
    EXPECT_TRUE(is_loopback_host("127.0.0.1"));
    EXPECT_TRUE(is_loopback_host("127.255.255.254"));
    EXPECT_TRUE(is_loopback_host("[::1]"));
    EXPECT_TRUE(is_loopback_host("localhost"));
    EXPECT_FALSE(is_loopback_host("0.0.0.0"));
    EXPECT_FALSE(is_loopback_host("::"));
    EXPECT_FALSE(is_loopback_host("10.0.0.1"));
    EXPECT_FALSE(is_loopback_host(""));
}

} // namespace
} // namespace gazette::indexer::serve
