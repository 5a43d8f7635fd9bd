#include "indexer/readers/jsonl_reader.hpp"

#include "indexer/readers/reader.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace gazette::indexer {
namespace {

using testing::Collector;
using testing::input_dir;

struct Expected {
    long line;
    bool ok;
    const char* id;           // id reported on the item ("" when unknown)
    ErrorCode code;           // only checked when !ok
    const char* message_part; // only checked when !ok
};

void check(const Collector& c, const std::vector<Expected>& expected) {
    ASSERT_EQ(c.items.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const auto& item = c.items[i];
        const auto& e = expected[i];
        SCOPED_TRACE("item " + std::to_string(i) + " line " + std::to_string(e.line));
        EXPECT_EQ(item.where.line, e.line);
        EXPECT_EQ(item.id, e.id);
        ASSERT_EQ(static_cast<bool>(item.article), e.ok)
            << (item.article ? std::string("unexpectedly ok") : item.article.error().message);
        if (!e.ok) {
            EXPECT_EQ(item.article.error().code, e.code)
                << error_code_name(item.article.error().code);
            EXPECT_NE(item.article.error().message.find(e.message_part), std::string::npos)
                << item.article.error().message;
        }
    }
}

TEST(JsonLines, FixtureFileGoodAndBadLines) {
    Collector c;
    Reader reader;
    const auto path = input_dir() / "articles.jsonl";
    reader.read_file(path, c.sink());
    check(c,
          {
              {1, true, "good-1", {}, ""},
              {3, true, "good-2", {}, ""},
              {4, false, "", ErrorCode::bad_json, "malformed JSON"},
              {5, false, "", ErrorCode::bad_article, "field 'id' is required"},
              {6, false, "", ErrorCode::bad_article, "field 'id' must be a string, not a number"},
              {7,
               false,
               "bad-title",
               ErrorCode::bad_article,
               "field 'title' must be a string, not a list"},
              {8,
               false,
               "bad-tags",
               ErrorCode::bad_article,
               "field 'tags' must be a list of strings"},
              {10, true, "good-3", {}, ""},
              {11, false, "", ErrorCode::bad_article, "one JSON object"},
              {12, false, "no-body", ErrorCode::bad_article, "field 'body' is required"},
              {13, false, "bad-date", ErrorCode::bad_article, "date"},
              {14, false, "", ErrorCode::bad_json, "unexpected content after the JSON value"},
              {15, true, "good-4", {}, ""},
          });
    EXPECT_EQ(c.items[0].where.file, path.string());
    EXPECT_EQ(c.items[2].where.to_string(), path.string() + ":4");
}

TEST(JsonLines, FieldsAreMapped) {
    Collector c;
    Reader reader;
    reader.read_file(input_dir() / "articles.jsonl", c.sink());
    ASSERT_FALSE(c.items.empty());
    ASSERT_TRUE(c.items[0].article);
    const Article& a = *c.items[0].article;
    EXPECT_EQ(a.id, "good-1");
    EXPECT_EQ(a.title, "First");
    EXPECT_EQ(a.body, "Gas prices rose.");
    EXPECT_EQ(a.authors, std::vector<std::string>{"Ann Lee"});
    EXPECT_EQ(a.date, "2024-05-16");
    EXPECT_EQ(a.editor_topics, std::vector<std::string>{"energy"});
    EXPECT_EQ(a.tags, (std::vector<std::string>{"gas", "prices"}));
    EXPECT_EQ(a.url, "https://example.org/1");
    EXPECT_EQ(a.source, "Example");
    EXPECT_EQ(a.lang, "en");
    ASSERT_TRUE(c.items[1].article);
    EXPECT_EQ(c.items[1].article->authors, (std::vector<std::string>{"Bo Chen", "Cy Diaz"}));
    EXPECT_EQ(c.items[1].article->date, "2023-01-02");
}

TEST(JsonLines, InvalidUtf8LineIsRejectedAndTheRestGoesOn) {
    const std::string data = "{\"id\":\"a\",\"body\":\"x\"}\n{\"id\":\"b\",\"body\":\"bad \xFF "
                             "byte\"}\n{\"id\":\"c\",\"body\":\"y\"}\n";
    Collector c;
    Reader reader;
    reader.read_buffer(data, InputFormat::jsonl, "POST /articles", c.sink());
    check(c,
          {{1, true, "a", {}, ""},
           {2, false, "", ErrorCode::bad_utf8, "invalid UTF-8 at byte offset 22"},
           {3, true, "c", {}, ""}});
    EXPECT_EQ(c.items[1].where.file, "POST /articles");
}

TEST(JsonLines, EmptyInputYieldsNothing) {
    for (const std::string_view data : {"", "\n", "  \n\t\n\r\n"}) {
        Collector c;
        Reader reader;
        reader.read_buffer(data, InputFormat::jsonl, "empty", c.sink());
        EXPECT_TRUE(c.items.empty());
        std::istringstream in{std::string(data)};
        JsonArticleReader json{ReaderOptions{}};
        json.read_lines(in, "empty", c.sink());
        EXPECT_TRUE(c.items.empty());
    }
}

TEST(JsonLines, HugeLineOverTheLimitIsRejectedWithoutStoppingTheStream) {
    ReaderOptions options;
    options.max_article_bytes = 1000;
    std::string data = "{\"id\":\"before\",\"body\":\"x\"}\n";
    data += "{\"id\":\"huge\",\"body\":\"" + std::string(300000, 'a') + "\"}\n";
    data += "{\"id\":\"after\",\"body\":\"y\"}"; // no final newline
    const std::vector<Expected> expected = {
        {1, true, "before", {}, ""},
        {2, false, "", ErrorCode::too_large, "the limit is 1000 bytes"},
        {3, true, "after", {}, ""}};
    {
        Collector c;
        JsonArticleReader json(options);
        std::istringstream in(data);
        json.read_lines(in, "stream", c.sink()); // crosses several 64 KiB chunks
        check(c, expected);
        EXPECT_NE(c.items[1].article.error().message.find("300023 bytes"), std::string::npos)
            << c.items[1].article.error().message;
    }
    {
        Collector c;
        Reader reader(options);
        reader.read_buffer(data, InputFormat::jsonl, "buffer", c.sink());
        check(c, expected);
    }
}

TEST(JsonLines, NestingDeeperThan64IsRejected) {
    auto nested = [](int depth) {
        return "{\"id\":\"n\",\"body\":\"x\",\"extra\":" +
               std::string(static_cast<std::size_t>(depth - 1), '[') + "1" +
               std::string(static_cast<std::size_t>(depth - 1), ']') + "}";
    };
    Collector c;
    Reader reader;
    reader.read_buffer(nested(64) + "\n" + nested(65) + "\n", InputFormat::jsonl, "deep", c.sink());
    check(c,
          {{1, true, "n", {}, ""},
           {2, false, "", ErrorCode::bad_json, "nested deeper than 64 levels"}});
}

TEST(JsonLines, CrlfAndBomAreTolerated) {
    Collector c;
    Reader reader;
    reader.read_buffer(
        "\xEF\xBB\xBF{\"id\":\"a\",\"body\":\"x\"}\r\n{\"id\":\"b\",\"body\":\"y\"}\r\n",
        InputFormat::jsonl,
        "crlf",
        c.sink());
    EXPECT_EQ(c.good_ids(), (std::vector<std::string>{"a", "b"}));
}

TEST(JsonLines, HtmlFieldIsExtractedAndJsonFieldsWin) {
    const std::string line =
        R"({"id":"h1","title":"JSON Title","html":"<html lang=\"de\"><head><title>Page Title</title>)"
        R"(<meta name=\"author\" content=\"Page Author\"></head><body><article><p>Page body text.</p>)"
        R"(<h2>Sub Head</h2><p>More.</p></article></body></html>"})";
    Collector c;
    Reader reader;
    reader.read_buffer(line, InputFormat::jsonl, "html", c.sink());
    ASSERT_EQ(c.items.size(), 1u);
    ASSERT_TRUE(c.items[0].article) << c.items[0].article.error().message;
    const Article& a = *c.items[0].article;
    EXPECT_EQ(a.title, "JSON Title");
    EXPECT_EQ(a.body, "Page body text.\n\nSub Head\n\nMore.");
    EXPECT_EQ(a.headings, std::vector<std::string>{"Sub Head"});
    EXPECT_EQ(a.authors, std::vector<std::string>{"Page Author"});
    EXPECT_EQ(a.lang, "de");
}

TEST(JsonLines, TooDeepHtmlFieldIsAnError) {
    std::string html;
    for (int i = 0; i < 2000; ++i) {
        html += "<div>";
    }
    Collector c;
    Reader reader;
    reader.read_buffer(
        R"({"id":"deep-html","html":")" + html + "\"}", InputFormat::jsonl, "html", c.sink());
    check(c,
          {{1,
            false,
            "deep-html",
            ErrorCode::too_complex,
            "field 'html': HTML elements nest deeper"}});
}

TEST(JsonDocument, ArrayFormReportsElementNumbers) {
    Collector c;
    Reader reader;
    reader.read_file(input_dir() / "articles-array.json", c.sink());
    check(c,
          {{1, true, "arr-1", {}, ""},
           {2, false, "", ErrorCode::bad_article, "not a JSON object"},
           {3, false, "arr-3", ErrorCode::bad_article, "field 'tags' must be a list of strings"},
           {4, true, "arr-4", {}, ""}});
}

TEST(JsonDocument, SingleObjectAndDocumentErrors) {
    struct Case {
        const char* json;
        std::vector<Expected> expected;
    };
    const std::vector<Case> cases = {
        {R"({"id":"one","body":"text"})", {{1, true, "one", {}, ""}}},
        {"  ", {}},
        {"[]", {}},
        {R"("just a string")",
         {{0, false, "", ErrorCode::bad_article, "expected a JSON object or an array"}}},
        {R"([{"id":"a","body":"x"}] junk)",
         {{0, false, "", ErrorCode::bad_json, "unexpected content"}}},
        {R"({"id":"a","body":"x")", {{0, false, "", ErrorCode::bad_json, "malformed JSON"}}},
    };
    for (const auto& tc : cases) {
        SCOPED_TRACE(tc.json);
        Collector c;
        Reader reader;
        reader.read_buffer(tc.json, InputFormat::json, "doc", c.sink());
        check(c, tc.expected);
    }
}

TEST(JsonDocument, ParserIsReusedAcrossDocuments) {
    Reader reader;
    for (int i = 0; i < 3; ++i) {
        Collector c;
        const std::string body(static_cast<std::size_t>(100 * (3 - i)), 'z');
        reader.read_buffer(R"({"id":"r)" + std::to_string(i) + R"(","body":")" + body + "\"}",
                           InputFormat::json,
                           "doc",
                           c.sink());
        ASSERT_EQ(c.items.size(), 1u);
        ASSERT_TRUE(c.items[0].article);
        EXPECT_EQ(c.items[0].article->body, body);
    }
}

} // namespace
} // namespace gazette::indexer
