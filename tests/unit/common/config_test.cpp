#include "common/config.hpp"

#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

using namespace gazette;

namespace {
std::string write_config(const test::TempDir& dir, const std::string& text) {
    const auto path = (dir.path() / "gazette.toml").string();
    std::ofstream(path) << text;
    return path;
}
} // namespace

TEST(Config, DefaultsWithoutFile) {
    auto c = load_config("");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->searchd.listen, "127.0.0.1:8080");
    EXPECT_EQ(c->limits.max_query_chars, 2048u);
    EXPECT_EQ(c->limits.max_body_bytes_admin, 32u * 1024 * 1024);
}

TEST(Config, ShippedConfigLoadsAndValidates) {
    auto c = load_config(std::string(GAZETTE_SOURCE_DIR) + "/config/gazette.toml");
    ASSERT_TRUE(c) << c.error().message;
    c->data_dir = "/tmp/x";
    EXPECT_TRUE(validate_config(*c));
    EXPECT_FALSE(c->topics_file.empty()) << "topics.toml beside the config is picked up";
}

TEST(Config, UnknownKeysAndWrongTypesNameTheKey) {
    test::TempDir dir;
    struct Case {
        std::string toml;
        std::string key;
    };
    const Case cases[] = {
        {"bogus = 1\n", "bogus"},
        {"[searchd]\nlisen = \"x\"\n", "searchd.lisen"},
        {"[limits]\nmax_limit = \"ten\"\n", "limits.max_limit"},
        {"[limits]\nmax_limit = -5\n", "limits.max_limit"},
        {"[[keys]]\nkey = \"short\"\nscopes = [\"admin\"]\n", "keys[0].key"},
        {"[[keys]]\nkey = \"long-enough-key\"\nscopes = [\"root\"]\n", "keys[0].scopes"},
        {"[cors]\norigins = \"*\"\n", "cors.origins"},
        {"[analysis]\ntitle_weight = \"heavy\"\n", "analysis.title_weight"},
    };
    for (const auto& c : cases) {
        auto r = load_config(write_config(dir, c.toml));
        ASSERT_FALSE(r) << c.toml;
        EXPECT_NE(r.error().message.find(c.key), std::string::npos) << r.error().message;
    }
}

TEST(Config, TitleWeightIsReadAndBounded) {
    test::TempDir dir;
    auto c = load_config(write_config(dir, "data_dir = \"/tmp/x\"\n[analysis]\ntitle_weight = 2\n"));
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->analysis.title_weight, 2u);
    EXPECT_TRUE(validate_config(*c));
    c->analysis.title_weight = 0;
    auto invalid = validate_config(*c);
    ASSERT_FALSE(invalid);
    EXPECT_NE(invalid.error().message.find("analysis.title_weight"), std::string::npos);
    EXPECT_EQ(load_config("")->analysis.title_weight, 5u) << "default";
}

TEST(Config, IoSpinIsReadAndBounded) {
    test::TempDir dir;
    EXPECT_EQ(load_config("")->searchd.io_spin_us, 50u) << "default";
    auto c = load_config(write_config(dir, "data_dir = \"/tmp/x\"\n[searchd]\nio_spin_us = 0\n"));
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->searchd.io_spin_us, 0u);
    EXPECT_TRUE(validate_config(*c));
    c->searchd.io_spin_us = 20000;
    auto invalid = validate_config(*c);
    ASSERT_FALSE(invalid);
    EXPECT_NE(invalid.error().message.find("searchd.io_spin_us"), std::string::npos);
    auto negative = load_config(write_config(dir, "data_dir = \"/tmp/x\"\n[searchd]\nio_spin_us = -1\n"));
    ASSERT_FALSE(negative);
    EXPECT_NE(negative.error().message.find("searchd.io_spin_us"), std::string::npos);
}

TEST(Config, CoordinationMaxWordsIsReadAndBounded) {
    test::TempDir dir;
    EXPECT_EQ(load_config("")->searchd.coordination_max_words, 4u) << "default";
    auto c = load_config(write_config(dir, "data_dir = \"/tmp/x\"\n[searchd]\ncoordination_max_words = 0\n"));
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->searchd.coordination_max_words, 0u) << "0 turns coordination off";
    EXPECT_TRUE(validate_config(*c));
    c->searchd.coordination_max_words = 7;
    auto invalid = validate_config(*c);
    ASSERT_FALSE(invalid);
    EXPECT_NE(invalid.error().message.find("searchd.coordination_max_words"), std::string::npos);
    auto bad = load_config(write_config(dir, "data_dir = \"/tmp/x\"\n[searchd]\ncoordination_max_words = -1\n"));
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find("coordination_max_words"), std::string::npos) << bad.error().message;
}

TEST(Config, ReopenCheckIsReadAndBounded) {
    test::TempDir dir;
    EXPECT_EQ(load_config("")->searchd.reopen_check_ms, 2u) << "default";
    auto c = load_config(write_config(dir, "data_dir = \"/tmp/x\"\n[searchd]\nreopen_check_ms = 0\n"));
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->searchd.reopen_check_ms, 0u);
    EXPECT_TRUE(validate_config(*c));
    c->searchd.reopen_check_ms = 5000;
    auto invalid = validate_config(*c);
    ASSERT_FALSE(invalid);
    EXPECT_NE(invalid.error().message.find("searchd.reopen_check_ms"), std::string::npos);
}

TEST(Config, SyntaxErrorsGiveLineAndColumn) {
    test::TempDir dir;
    auto r = load_config(write_config(dir, "a = 1\nb = = 2\n"));
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find(":2:"), std::string::npos) << r.error().message;
}

TEST(Config, EnvironmentOverridesFileAndRelativePathsResolve) {
    test::TempDir dir;
    const auto path = write_config(dir, "data_dir = \"data\"\n[searchd]\nlisten = \"127.0.0.1:9000\"\n");
    ::setenv("GAZETTE_SEARCHD_LISTEN", "127.0.0.1:9100", 1);
    auto c = load_config(path);
    ::unsetenv("GAZETTE_SEARCHD_LISTEN");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->searchd.listen, "127.0.0.1:9100");
    EXPECT_EQ(c->data_dir, (dir.path() / "data").string());
}

TEST(Config, KeysAndScopes) {
    test::TempDir dir;
    auto c = load_config(write_config(dir, "[[keys]]\nkey = \"admin-key-123\"\nscopes = [\"admin\"]\n"
                                           "[[keys]]\nkey = \"search-key-123\"\nscopes = [\"search\"]\n"));
    ASSERT_TRUE(c);
    const ApiKey* admin = c->find_key("admin-key-123");
    ASSERT_NE(admin, nullptr);
    EXPECT_TRUE(admin->has_scope("search")); // admin implies search
    const ApiKey* search = c->find_key("search-key-123");
    ASSERT_NE(search, nullptr);
    EXPECT_FALSE(search->has_scope("admin"));
    EXPECT_EQ(c->find_key("admin-key-12"), nullptr);
    EXPECT_EQ(c->find_key(""), nullptr);
    EXPECT_TRUE(constant_time_equals("abc", "abc"));
    EXPECT_FALSE(constant_time_equals("abc", "abd"));
    EXPECT_FALSE(constant_time_equals("abc", "abcd"));
}

TEST(Config, ListenParsing) {
    EXPECT_TRUE(parse_listen("127.0.0.1:0", "x"));
    EXPECT_EQ(parse_listen("[::1]:80", "x")->first, "::1");
    EXPECT_FALSE(parse_listen("127.0.0.1", "x"));
    EXPECT_FALSE(parse_listen("127.0.0.1:99999", "x"));
    EXPECT_FALSE(parse_listen("h:8a", "x"));
}
