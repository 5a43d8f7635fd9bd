#include "indexer/readers/article_ids.hpp"

#include <gtest/gtest.h>

namespace gazette::indexer {
namespace {

TEST(ArticleIds, Fnv1aMatchesPublishedVectors) {
    // Reference values of 64-bit FNV-1a: the id must never change between builds.
    EXPECT_EQ(fnv1a_64(""), 0xcbf29ce484222325ULL);
    EXPECT_EQ(fnv1a_64("a"), 0xaf63dc4c8601ec8cULL);
    EXPECT_EQ(fnv1a_64("foobar"), 0x85944171f73967e8ULL);
    EXPECT_EQ(content_hash_id("foobar"), "h-85944171f73967e8");
}

struct StemCase {
    const char* path;
    const char* id;
};

class IdFromStem : public ::testing::TestWithParam<StemCase> {};

TEST_P(IdFromStem, Sanitises) {
    EXPECT_EQ(id_from_file_stem(GetParam().path), GetParam().id);
}

INSTANTIATE_TEST_SUITE_P(
    Stems,
    IdFromStem,
    ::testing::Values(StemCase{"/a/b/scraped-article-russia-china.txt",
                               "scraped-article-russia-china"},
                      StemCase{"My Article (final)!.txt", "My-Article-final"},
                      StemCase{"x/2024.05.16_note.md", "2024.05.16_note"},
                      StemCase{"\xD0\xA1\xD1\x82\xD0\xB0\xD1\x82\xD1\x8C\xD1\x8F 1.txt",
                               "\xD0\xA1\xD1\x82\xD0\xB0\xD1\x82\xD1\x8C\xD1\x8F-1"},
                      StemCase{"!!!.txt", ""},
                      StemCase{"-.-.txt", ""}));

} // namespace
} // namespace gazette::indexer
