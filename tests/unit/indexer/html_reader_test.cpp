#include "indexer/readers/html_reader.hpp"

#include "indexer/readers/reader.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

namespace gazette::indexer {
namespace {

using testing::input_dir;
using testing::slurp;

bool contains(const std::string& hay, std::string_view needle) {
    return hay.find(needle) != std::string::npos;
}

Article extract(std::string_view html) {
    auto r = extract_html_article(html);
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : Article{};
}

TEST(HtmlReader, ExtractsMetadataFromTheHead) {
    const Article a = extract(slurp(input_dir() / "page.html"));
    EXPECT_EQ(a.title, "Pipeline Deal Signed After Long Talks"); // og:title beats <title>
    EXPECT_EQ(a.authors, std::vector<std::string>{"Jane Reporter"});
    EXPECT_EQ(a.date, "2024-05-16");
    EXPECT_EQ(a.url, "https://daily.example/2024/05/pipeline-deal"); // canonical beats og:url
    EXPECT_EQ(a.source, "The Daily Example");
    EXPECT_EQ(a.lang, "en");
    EXPECT_TRUE(a.id.empty());
}

TEST(HtmlReader, BodyKeepsTheArticleAndDropsPageFurniture) {
    const Article a = extract(slurp(input_dir() / "page.html"));
    EXPECT_EQ(a.body,
              "The two governments signed the pipeline agreement on Thursday.\n\n"
              "What the Deal Covers\n\n"
              "The deal covers gas deliveries for thirty years.\n\n"
              "Prices will be reviewed\n\nevery five years.\n\n"
              "Reactions\n\n"
              "Analysts welcomed the & agreement.");
    EXPECT_EQ(a.headings, (std::vector<std::string>{"What the Deal Covers", "Reactions"}));
    for (const std::string_view junk : {"SCRIPT_TEXT",
                                        "NAV_TEXT",
                                        "COOKIE_TEXT",
                                        "SHARE_TEXT",
                                        "INLINE_SCRIPT_TEXT",
                                        "FORM_TEXT",
                                        "ASIDE_TEXT",
                                        "COMMENT_TEXT",
                                        "FOOTER_TEXT",
                                        "color: red"}) {
        EXPECT_FALSE(contains(a.body, junk)) << junk;
    }
}

TEST(HtmlReader, WithoutArticleOrMainTheLargestTextBlockWins) {
    const Article a = extract(slurp(input_dir() / "page-no-article.htm"));
    EXPECT_EQ(a.title, "Plain Page Title");
    EXPECT_EQ(a.date, "2021-05-03"); // meta name=date in a human format beats <time>
    EXPECT_TRUE(a.body.starts_with("Heading One\n\nFirst paragraph of the plain page")) << a.body;
    EXPECT_TRUE(contains(a.body, "Second paragraph continues"));
    EXPECT_FALSE(contains(a.body, "NAV_TEXT"));
    EXPECT_FALSE(contains(a.body, "SIDEBAR_TEXT"));
    EXPECT_TRUE(a.lang.empty());
}

struct MetaCase {
    const char* name;
    const char* head;
    const char* body;
    const char* title;
    const char* author;
    const char* date;
};

class HtmlMetaTest : public ::testing::TestWithParam<MetaCase> {};

TEST_P(HtmlMetaTest, Fallbacks) {
    const auto& tc = GetParam();
    const Article a = extract(std::string("<html><head>") + tc.head + "</head><body>" + tc.body +
                              "<p>Body text.</p></body></html>");
    EXPECT_EQ(a.title, tc.title);
    EXPECT_EQ(a.authors.empty() ? std::string() : a.authors.front(), tc.author);
    EXPECT_EQ(a.date, tc.date);
}

INSTANTIATE_TEST_SUITE_P(
    Pages,
    HtmlMetaTest,
    ::testing::Values(
        MetaCase{"title_tag", "<title> Tag Title </title>", "<h1>H1</h1>", "Tag Title", "", ""},
        MetaCase{"h1_when_no_title", "", "<h1>Only <em>H1</em></h1>", "Only H1", "", ""},
        MetaCase{"article_author",
                 R"(<meta property="article:author" content="Ann Author">)",
                 "",
                 "",
                 "Ann Author",
                 ""},
        MetaCase{"article_author_url_skipped",
                 R"(<meta property="article:author" content="https://facebook.com/x">)",
                 R"(<a rel="author" href="/ann">Ann Link</a>)",
                 "",
                 "Ann Link",
                 ""},
        MetaCase{"time_datetime",
                 "",
                 R"(<time datetime="2022-02-03T10:00:00Z">Feb 3</time>)",
                 "",
                 "",
                 "2022-02-03"},
        MetaCase{"bad_date_ignored", R"(<meta name="date" content="not a date">)", "", "", "", ""},
        MetaCase{"rfc2822_date",
                 R"(<meta name="pubdate" content="Thu, 16 May 2024 10:00:00 GMT">)",
                 "",
                 "",
                 "",
                 "2024-05-16"}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(HtmlReader, ReadFileUsesTheFileStemAsId) {
    testing::Collector c;
    Reader reader;
    reader.read_file(input_dir() / "page.html", c.sink());
    ASSERT_EQ(c.items.size(), 1u);
    ASSERT_TRUE(c.items[0].article) << c.items[0].article.error().message;
    EXPECT_EQ(c.items[0].article->id, "page");
    EXPECT_EQ(c.items[0].id, "page");
}

TEST(HtmlReader, ContentHashIdWithoutFileName) {
    auto a = read_html("<p>Some text</p>", "");
    auto b = read_html("<p>Some text</p>", "");
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->id, b->id);
    EXPECT_TRUE(a->id.starts_with("h-"));
}

TEST(HtmlReader, RejectsInvalidUtf8AndEmptyPages) {
    auto bad = read_html("<p>ok</p>\n<p>\xC0\xAF</p>", "x");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, ErrorCode::bad_utf8);
    EXPECT_NE(bad.error().message.find("line 2"), std::string::npos);
    auto empty = read_html("<html><body><nav>menu</nav></body></html>", "x");
    ASSERT_FALSE(empty);
    EXPECT_EQ(empty.error().code, ErrorCode::bad_article);
}

TEST(HtmlReader, ClassHeuristicsNeverEmptyAWholePage) {
    // A wrapper whose class mentions a sidebar would drop everything; the reader retries.
    const Article a = extract(
        R"(<body><div class="layout-with-sidebar"><p>Real text of the page.</p></div></body>)");
    EXPECT_EQ(a.body, "Real text of the page.");
}

std::string nested_divs(int depth) {
    std::string html = "<body>";
    for (int i = 0; i < depth; ++i) {
        html += "<div class=\"x\">";
    }
    return html + "deep text";
}

TEST(HtmlReader, DeepNestingIsRefusedBeforeParsing) {
    // gumbo needs ~20 s for 20,000 levels; the estimate refuses such pages at once.
    auto r = extract_html_article(nested_divs(200000));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::too_complex);
    const Article a = extract(nested_divs(300));
    EXPECT_EQ(a.body, "deep text");
}

struct DepthCase {
    const char* html;
    std::size_t depth;
};

class HtmlDepth : public ::testing::TestWithParam<DepthCase> {};

TEST_P(HtmlDepth, Estimate) {
    EXPECT_EQ(estimate_html_depth(GetParam().html, 100), GetParam().depth) << GetParam().html;
}

INSTANTIATE_TEST_SUITE_P(
    Pages,
    HtmlDepth,
    ::testing::Values(DepthCase{"<div><div></div><div><b>x</b></div></div>", 3},
                      DepthCase{"<p>a<p>b<p>c<br><img src=x><hr/>", 0}, // implied and void
                      DepthCase{"<ul><li>a<li>b</ul>", 1},
                      DepthCase{"<div><!-- <div><div> --></div>", 1},
                      DepthCase{"<script>if (a<b) { x = '<div><div>'; }</script><span></span>", 1},
                      DepthCase{"a < b and c > d", 0},
                      DepthCase{"<x-widget/><a href='#'>z</a>", 1}));

} // namespace
} // namespace gazette::indexer
