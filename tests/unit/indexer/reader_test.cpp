#include "indexer/readers/reader.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

namespace gazette::indexer {
namespace {

using testing::Collector;
using testing::TempDir;

struct PathCase {
    const char* path;
    std::optional<InputFormat> format;
};

class FormatFromPath : public ::testing::TestWithParam<PathCase> {};

TEST_P(FormatFromPath, ByExtension) {
    EXPECT_EQ(format_from_path(GetParam().path), GetParam().format);
}

INSTANTIATE_TEST_SUITE_P(Paths,
                         FormatFromPath,
                         ::testing::Values(PathCase{"a.jsonl", InputFormat::jsonl},
                                           PathCase{"dir/a.NDJSON", InputFormat::jsonl},
                                           PathCase{"a.json", InputFormat::json},
                                           PathCase{"a.html", InputFormat::html},
                                           PathCase{"a.HTM", InputFormat::html},
                                           PathCase{"a.txt", InputFormat::text},
                                           PathCase{"a.text", InputFormat::text},
                                           PathCase{"notes.md", InputFormat::text},
                                           PathCase{"a.pdf", std::nullopt},
                                           PathCase{"README", std::nullopt},
                                           PathCase{"a.json.gz", std::nullopt}));

struct TypeCase {
    const char* content_type;
    std::optional<InputFormat> format;
};

class FormatFromContentType : public ::testing::TestWithParam<TypeCase> {};

TEST_P(FormatFromContentType, ByMediaType) {
    EXPECT_EQ(format_from_content_type(GetParam().content_type), GetParam().format);
}

INSTANTIATE_TEST_SUITE_P(
    Types,
    FormatFromContentType,
    ::testing::Values(TypeCase{"application/json", InputFormat::json},
                      TypeCase{"Application/JSON; charset=utf-8", InputFormat::json},
                      TypeCase{"application/x-ndjson", InputFormat::jsonl},
                      TypeCase{"application/jsonl", InputFormat::jsonl},
                      TypeCase{"text/html;charset=UTF-8", InputFormat::html},
                      TypeCase{"application/xhtml+xml", InputFormat::html},
                      TypeCase{"text/plain", InputFormat::text},
                      TypeCase{"text/markdown", InputFormat::text},
                      TypeCase{"application/xml", std::nullopt},
                      TypeCase{"", std::nullopt},
                      TypeCase{"multipart/form-data; boundary=x", std::nullopt}));

TEST(ReadFile, FileLevelErrorsAreOneItem) {
    TempDir dir;
    const auto unknown = dir.write("notes.pdf", "x");
    const auto missing = dir.path() / "missing.jsonl";
    std::filesystem::create_directory(dir.path() / "folder.json");
    struct Case {
        std::filesystem::path path;
        ErrorCode code;
    };
    for (const auto& tc : {Case{unknown, ErrorCode::unsupported},
                           Case{missing, ErrorCode::not_found},
                           Case{dir.path() / "folder.json", ErrorCode::unsupported}}) {
        Collector c;
        Reader reader;
        reader.read_file(tc.path, c.sink());
        ASSERT_EQ(c.items.size(), 1u) << tc.path;
        ASSERT_FALSE(c.items[0].article);
        EXPECT_EQ(c.items[0].article.error().code, tc.code) << c.items[0].article.error().message;
        EXPECT_EQ(c.items[0].where.file, tc.path.string());
        EXPECT_EQ(c.items[0].where.line, 0);
    }
}

TEST(ReadFile, TextAndHtmlOverTheSizeLimitAreRejected) {
    TempDir dir;
    ReaderOptions options;
    options.max_article_bytes = 100;
    const auto big = dir.write("big.txt", "Title\n\n" + std::string(200, 'x') + "\n");
    Collector c;
    read_file(big, options, c.sink());
    ASSERT_EQ(c.items.size(), 1u);
    ASSERT_FALSE(c.items[0].article);
    EXPECT_EQ(c.items[0].article.error().code, ErrorCode::too_large);

    Collector c2;
    read_buffer(std::string(200, 'x'), InputFormat::html, "POST /articles", options, c2.sink());
    ASSERT_EQ(c2.items.size(), 1u);
    EXPECT_EQ(c2.items[0].article.error().code, ErrorCode::too_large);
}

TEST(ReadFile, FileStemIsSanitisedIntoTheId) {
    TempDir dir;
    const auto path = dir.write("My Article (final)!.txt", "A Title\n\nSome body text.\n");
    Collector c;
    Reader reader;
    reader.read_file(path, c.sink());
    ASSERT_EQ(c.items.size(), 1u);
    ASSERT_TRUE(c.items[0].article) << c.items[0].article.error().message;
    EXPECT_EQ(c.items[0].article->id, "My-Article-final");
}

TEST(ReadBuffer, TextWithoutFallbackIdGetsAContentHash) {
    Collector c;
    read_buffer("A Title\n\nSome body text.\n",
                InputFormat::text,
                "POST /articles",
                ReaderOptions{},
                c.sink());
    ASSERT_EQ(c.items.size(), 1u);
    ASSERT_TRUE(c.items[0].article);
    EXPECT_TRUE(c.items[0].article->id.starts_with("h-"));
    EXPECT_EQ(c.items[0].where.to_string(), "POST /articles:1");
}

TEST(ReaderOptions, ExtraPatternsExtendTheDefaults) {
    ReaderOptions options;
    options.extra_patterns = {R"(sponsored by .*)"};
    options.extra_cut_patterns = {R"(about the author)"};
    Collector c;
    read_buffer("A Title\n\nBody one.\n\nSponsored by ACME Corp\n\nBody two.\n\nRead Time: 2 "
                "min\n\nAbout the Author\n\n"
                "Bio text.\n",
                InputFormat::text,
                "t",
                options,
                c.sink());
    ASSERT_EQ(c.items.size(), 1u);
    ASSERT_TRUE(c.items[0].article);
    EXPECT_EQ(c.items[0].article->body, "Body one.\n\nBody two.");
}

TEST(ReaderOptions, DefaultsCanBeSwitchedOff) {
    ReaderOptions options;
    options.default_boilerplate = false;
    Collector c;
    read_buffer("A Title\n\nBody one.\n\nPrevious post Something\n",
                InputFormat::text,
                "t",
                options,
                c.sink());
    ASSERT_EQ(c.items.size(), 1u);
    ASSERT_TRUE(c.items[0].article);
    EXPECT_EQ(c.items[0].article->body, "Body one.\n\nPrevious post Something");
}

TEST(ReaderOptions, InvalidPatternIsAConfigError) {
    ReaderOptions options;
    options.extra_patterns = {"(unclosed"};
    try {
        Reader reader(options);
        FAIL() << "expected ErrorException";
    } catch (const ErrorException& e) {
        EXPECT_EQ(e.error().code, ErrorCode::bad_config);
        EXPECT_NE(e.error().message.find("(unclosed"), std::string::npos);
    }
}

} // namespace
} // namespace gazette::indexer
