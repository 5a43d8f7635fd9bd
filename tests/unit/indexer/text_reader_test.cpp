#include "indexer/readers/text_reader.hpp"

#include "common/text.hpp"

#include "indexer/readers/reader.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace gazette::indexer {
namespace {

using testing::input_dir;
using testing::shared_dir;
using testing::slurp;

BoilerplateFilter default_filter() {
    auto f = BoilerplateFilter::compile(default_boilerplate_rules());
    EXPECT_TRUE(f.has_value());
    return std::move(*f);
}

bool contains(const std::string& hay, std::string_view needle) {
    return hay.find(needle) != std::string::npos;
}

// --- the example article from shared/ (read in place: research data is not copied) ---

class ExampleArticle : public ::testing::Test {
  protected:
    void SetUp() override {
        const auto path = shared_dir() / "examples" / "scraped-article-russia-china.txt";
        ASSERT_TRUE(std::filesystem::exists(path))
            << "the example article is missing: expected it at " << path
            << " (GAZETTE_SHARED_DIR must point at the shared/ folder beside the repository)";
        testing::Collector c;
        Reader reader;
        reader.read_file(path, c.sink());
        ASSERT_EQ(c.items.size(), 1u);
        ASSERT_TRUE(c.items[0].article) << c.items[0].article.error().message;
        article_ = *c.items[0].article;
    }
    Article article_;
};

TEST_F(ExampleArticle, IdComesFromTheFileName) {
    EXPECT_EQ(article_.id, "scraped-article-russia-china");
}

TEST_F(ExampleArticle, TitleIsDerivedFromTheFirstSentence) {
    // The page text has no title line: the first sentence, cut at a word boundary, stands in.
    EXPECT_TRUE(article_.title.starts_with(
        "In the dynamic world of global geopolitics, the interaction between Russia"))
        << article_.title;
    EXPECT_LE(text::utf8_length(article_.title), 101u);
    EXPECT_TRUE(article_.title.ends_with("\xE2\x80\xA6")) << article_.title;
}

TEST_F(ExampleArticle, BoilerplateIsGone) {
    for (const std::string_view junk : {"Read Time",
                                        "Previous post",
                                        "Next post",
                                        "Leave a Reply",
                                        "Average Rating",
                                        "5 Star",
                                        "1 Star",
                                        "Your email address",
                                        "Required fields"}) {
        EXPECT_FALSE(contains(article_.body, junk)) << junk;
    }
    // The real text survives, first and last paragraph included.
    EXPECT_TRUE(article_.body.starts_with("In the dynamic world of global geopolitics"));
    EXPECT_TRUE(contains(article_.body, "Power of Siberia"));
    EXPECT_TRUE(article_.body.ends_with("consequences for global peace and security."))
        << article_.body.substr(article_.body.size() - 80);
}

TEST_F(ExampleArticle, SectionHeadingsAreFound) {
    const std::vector<std::string> expected = {
        "Historical Context of Russia-China Relations",
        "The Evolution of Diplomatic Ties",
        "Post-Cold War Reconciliation",
        "The Pillars of Russia-China Friendship",
        "Economic Cooperation",
        "Energy Collaboration",
        "Strategic Military Partnership",
        "Defense Technology and Arms Trade",
        "Diplomatic Synchronization",
        "Geopolitical Implications of the Russia-China Alliance",
        "Counterbalancing Western Influence",
        "The Belt and Road Initiative and the Eurasian Economic Union",
        "Regional Security Dynamics",
        "The Korean Peninsula",
        "Challenges and Limitations",
        "Economic Asymmetry",
        "Sanctions and Economic Vulnerabilities",
        "Strategic Distrust",
        "The Future Trajectory of Russia-China Relations",
        "A New Global Order?",
        "Technological and Scientific Collaboration",
        "The Role of Global Institutions",
        "Potential for Conflict and Cooperation",
    };
    EXPECT_EQ(article_.headings, expected);
    // Headings stay in the body as paragraphs of their own.
    EXPECT_TRUE(contains(article_.body, "\n\nEnergy Collaboration\n\n"));
}

TEST_F(ExampleArticle, ParagraphsAreSeparatedByBlankLines) {
    EXPECT_FALSE(contains(article_.body, "\n\n\n"));
    const auto paragraphs = std::count(article_.body.begin(), article_.body.end(), '\n') / 2 + 1;
    EXPECT_EQ(paragraphs, 23 + 21); // 23 headings, 21 text paragraphs
}

// --- a synthetic scraped page kept with the tests ---

class SyntheticArticle : public ::testing::Test {
  protected:
    void SetUp() override {
        testing::Collector c;
        Reader reader;
        reader.read_file(input_dir() / "scraped-synthetic.txt", c.sink());
        ASSERT_EQ(c.items.size(), 1u);
        ASSERT_TRUE(c.items[0].article) << c.items[0].article.error().message;
        article_ = *c.items[0].article;
    }
    Article article_;
};

TEST_F(SyntheticArticle, TitleBylineAndDate) {
    EXPECT_EQ(article_.id, "scraped-synthetic");
    EXPECT_EQ(article_.title, "Harbour Towns Bet on Offshore Wind");
    EXPECT_EQ(article_.authors, (std::vector<std::string>{"Maria Lopez", "Tom Baker"}));
    EXPECT_EQ(article_.date, "2023-03-03");
    EXPECT_TRUE(article_.body.starts_with("Three small harbour towns")) << article_.body;
}

TEST_F(SyntheticArticle, HeadingsAndBoilerplate) {
    EXPECT_EQ(article_.headings,
              (std::vector<std::string>{"Why the Towns Joined Forces", "Costs and Risks"}));
    for (const std::string_view junk : {"Skip to content",
                                        "Read Time",
                                        "Rate this",
                                        "No Ratings",
                                        "Loading",
                                        "Share this",
                                        "Click to share",
                                        "Like this",
                                        "Related",
                                        "Previous post",
                                        "Next post",
                                        "Leave a Reply",
                                        "comment text must never",
                                        "Post Comment",
                                        "Website"}) {
        EXPECT_FALSE(contains(article_.body, junk)) << junk;
    }
    EXPECT_TRUE(article_.body.ends_with("the price of steel.")) << article_.body;
}

// --- table-driven pieces ---

struct HeadingCase {
    const char* line;
    bool heading;
};

class HeadingTest : public ::testing::TestWithParam<HeadingCase> {};

TEST_P(HeadingTest, Classifies) {
    EXPECT_EQ(looks_like_heading(GetParam().line), GetParam().heading) << GetParam().line;
}

INSTANTIATE_TEST_SUITE_P(
    Lines,
    HeadingTest,
    ::testing::Values(
        HeadingCase{"Economic Cooperation", true},
        HeadingCase{"The Belt and Road Initiative and the Eurasian Economic Union", true},
        HeadingCase{"A New Global Order?", true},
        HeadingCase{"WHAT HAPPENS NEXT", true},
        HeadingCase{"Russia-China Relations in 2024", true},
        HeadingCase{"\xD0\x9D\xD0\xBE\xD0\xB2\xD1\x8B\xD0\xB9 \xD0\x9C\xD0\xB8\xD1\x80", true},
        HeadingCase{"Economic cooperation grew", false},
        HeadingCase{"The Deal Was Signed.", false},
        HeadingCase{"Conclusion:", false},
        HeadingCase{"and Then There Were None", false},
        HeadingCase{"", false},
        HeadingCase{"One Two Three Four Five Six Seven Eight Nine Ten Eleven Twelve Thirteen",
                    false}));

struct TitleCase {
    const char* paragraph;
    std::size_t max_chars;
    const char* title;
};

class TitleTest : public ::testing::TestWithParam<TitleCase> {};

TEST_P(TitleTest, FromFirstSentence) {
    EXPECT_EQ(title_from_first_sentence(GetParam().paragraph, GetParam().max_chars),
              GetParam().title);
}

INSTANTIATE_TEST_SUITE_P(
    Sentences,
    TitleTest,
    ::testing::Values(
        TitleCase{"Short one. Second sentence.", 100, "Short one"},
        TitleCase{"Is it over? Nobody knows.", 100, "Is it over?"},
        TitleCase{"The U.S. economy grew. Then it shrank.", 100, "The U.S. economy grew"},
        TitleCase{"Mr. Smith went to Washington. He stayed.", 100, "Mr. Smith went to Washington"},
        TitleCase{"alpha beta gamma delta epsilon", 12, "alpha beta\xE2\x80\xA6"},
        TitleCase{"No period at all", 100, "No period at all"}));

TEST(TextReader, TitleLineThenBody) {
    const auto f = default_filter();
    auto r = read_scraped_text("My Title\n\nFirst paragraph here.\n\nSecond one.\n", f, "t1");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->title, "My Title");
    EXPECT_EQ(r->body, "First paragraph here.\n\nSecond one.");
    EXPECT_EQ(r->id, "t1");
}

TEST(TextReader, HardWrappedLinesJoinIntoOneParagraph) {
    const auto f = default_filter();
    auto r = read_scraped_text(
        "A Title\n\nthis line wraps\nonto the next one.\nNew sentence line.\n", f, "t2");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body, "this line wraps onto the next one.\n\nNew sentence line.");
}

TEST(TextReader, MarkdownHeadings) {
    const auto f = default_filter();
    auto r = read_scraped_text(
        "# The Title\n\nIntro text.\n\n## background facts\n\nMore text.\n", f, "md");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->title, "The Title");
    EXPECT_EQ(r->headings, (std::vector<std::string>{"background facts"}));
    EXPECT_EQ(r->body, "Intro text.\n\nbackground facts\n\nMore text.");
}

TEST(TextReader, TrailingHeadingLikeLineIsNotAHeading) {
    const auto f = default_filter();
    auto r = read_scraped_text("Title Here\n\nSome body text.\n\nThe End Of It\n", f, "t3");
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->headings.empty());
    EXPECT_TRUE(r->body.ends_with("The End Of It"));
}

TEST(TextReader, BylineVariants) {
    const auto f = default_filter();
    struct Case {
        const char* byline;
        std::vector<std::string> authors;
        const char* date;
    };
    const std::vector<Case> cases = {
        {"By John Smith", {"John Smith"}, ""},
        {"By John Smith | May 16, 2024", {"John Smith"}, "2024-05-16"},
        {"Posted on 16 May 2024 by Ann de Vries", {"Ann de Vries"}, "2024-05-16"},
        {"Published: 2024-05-16", {}, "2024-05-16"},
        {"Thursday, May 16, 2024", {}, "2024-05-16"},
    };
    for (const auto& c : cases) {
        auto r = read_scraped_text(
            std::string("Some Title\n") + c.byline + "\n\nBody text here.\n", f, "b");
        ASSERT_TRUE(r) << c.byline;
        EXPECT_EQ(r->authors, c.authors) << c.byline;
        EXPECT_EQ(r->date, c.date) << c.byline;
        EXPECT_EQ(r->body, "Body text here.") << c.byline;
    }
    // Prose starting with "By" stays prose.
    auto r = read_scraped_text("Some Title\n\nBy the end of the year prices fell.\n", f, "b");
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->authors.empty());
    EXPECT_EQ(r->body, "By the end of the year prices fell.");
}

TEST(TextReader, IdFallsBackToAStableContentHash) {
    const auto f = default_filter();
    auto a = read_scraped_text("Title\n\nBody.\n", f, "");
    auto b = read_scraped_text("Title\n\nBody.\n", f, "");
    auto c = read_scraped_text("Title\n\nOther body.\n", f, "");
    ASSERT_TRUE(a && b && c);
    EXPECT_EQ(a->id, b->id);
    EXPECT_NE(a->id, c->id);
    EXPECT_TRUE(a->id.starts_with("h-"));
}

TEST(TextReader, InvalidUtf8NamesTheLine) {
    const auto f = default_filter();
    auto r = read_scraped_text("Title\n\nok line\nbad \xC3\x28 byte\n", f, "u");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::bad_utf8);
    EXPECT_NE(r.error().message.find("line 4"), std::string::npos) << r.error().message;
}

TEST(TextReader, OnlyBoilerplateIsAnError) {
    const auto f = default_filter();
    auto r = read_scraped_text("Read Time: 2 Minute\nPrevious post Foo\n", f, "empty");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::bad_article);
}

} // namespace
} // namespace gazette::indexer
