// The follower's pure parts: the primary's address, its GET /generations answer, the replica's
// live pointer; and one round against an unreachable primary (the pointer must not move).

#include "common/data_dir.hpp"
#include "indexer/replica/follower.hpp"
#include "indexer/replica/primary_client.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

namespace fs = std::filesystem;
using namespace gazette;
using namespace gazette::indexer::replica;

TEST(PrimaryUrl, AcceptsHttpAndBareHostPort) {
    auto a = parse_primary_url("http://10.0.0.1:8081/");
    ASSERT_TRUE(a) << a.error().message;
    EXPECT_EQ(a->host, "10.0.0.1");
    EXPECT_EQ(a->port, "8081");
    auto b = parse_primary_url("primary.example:9000");
    ASSERT_TRUE(b);
    EXPECT_EQ(b->host, "primary.example");
    EXPECT_EQ(b->port, "9000");
}

TEST(PrimaryUrl, RejectsOtherSchemesPathsAndMissingPorts) {
    EXPECT_FALSE(parse_primary_url("https://h:1"));
    EXPECT_FALSE(parse_primary_url("http://h:1/admin"));
    EXPECT_FALSE(parse_primary_url("h"));
    EXPECT_FALSE(parse_primary_url("h:port"));
    EXPECT_FALSE(parse_primary_url(":80"));
}

TEST(GenerationsBody, ReadsLiveAndRetained) {
    auto s = parse_generations_body(
        R"({"live":"g000003","generations":[{"name":"g000002","live":false},{"name":"g000003","live":true}]})");
    ASSERT_TRUE(s) << s.error().message;
    EXPECT_EQ(s->live, "g000003");
    EXPECT_EQ(s->generations, (std::vector<std::string>{"g000002", "g000003"}));
    auto none = parse_generations_body(R"({"live":null,"generations":[]})");
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->live.empty());
}

TEST(GenerationsBody, RejectsMalformedAnswers) {
    EXPECT_FALSE(parse_generations_body("not json"));
    EXPECT_FALSE(parse_generations_body(R"({"live":"g000001"})"));
    EXPECT_FALSE(parse_generations_body(R"({"generations":[{"nom":"g1"}]})"));
}

TEST(ReplicaStub, BothSpellingsNameTheSameGeneration) {
    std::string pattern = (fs::temp_directory_path() / "gazette-stub-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    DataDir dd(pattern);
    const auto plain = replica_stub_contents("g000007", false);
    const auto alternate = replica_stub_contents("g000007", true);
    EXPECT_NE(plain, alternate) << "the alternate spelling exists to change the file";
    for (const auto& contents : {plain, alternate}) {
        write_file_atomic(dd.live_stub(), contents);
        EXPECT_EQ(dd.live_generation(), std::optional<std::string>("g000007")) << contents;
    }
    fs::remove_all(pattern);
}

TEST(Follower, UnreachablePrimaryLeavesTheReplicaUntouched) {
    std::string pattern = (fs::temp_directory_path() / "gazette-follow-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    DataDir dd(pattern);
    fs::create_directories(dd.generations_dir());
    write_file_atomic(dd.live_stub(), replica_stub_contents("g000001", false));
    auto endpoint = parse_primary_url("127.0.0.1:1"); // nothing listens on port 1
    ASSERT_TRUE(endpoint);
    endpoint->timeout = std::chrono::milliseconds(500);
    Follower follower(dd, *endpoint, ReplicateSettings{});
    const auto round = follower.sync_once();
    EXPECT_FALSE(round);
    EXPECT_EQ(read_file(dd.live_stub()), replica_stub_contents("g000001", false));
    fs::remove_all(pattern);
}
