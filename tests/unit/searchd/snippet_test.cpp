#include "common/analyzer.hpp"
#include "common/text.hpp"
#include "searchd/search/snippet.hpp"

#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace gazette::searchd {
namespace {

const std::string kEllipsis = "\xE2\x80\xA6";

/// The snippet with marks and ellipses removed.
std::string plain(std::string s) {
    for (const std::string& tag : {std::string("<mark>"), std::string("</mark>"), kEllipsis}) {
        for (auto p = s.find(tag); p != std::string::npos; p = s.find(tag)) {
            s.erase(p, tag.size());
        }
    }
    return std::string(text::trim(s));
}

struct Case {
    const char* name;
    std::vector<std::string> exact;
    std::vector<std::string> stems;
    const char* lang;
    std::string body;
    std::size_t chars;
    std::vector<std::string> must_contain;
    std::vector<std::string> must_not_contain;
};

class SnippetTable : public ::testing::TestWithParam<Case> {};

TEST_P(SnippetTable, Generates) {
    const Case& c = GetParam();
    SnippetGenerator gen(c.exact, c.stems, {}, Xapian::Stem(c.lang));
    const std::string s = gen.generate(c.body, c.chars);
    for (const auto& want : c.must_contain) {
        EXPECT_NE(s.find(want), std::string::npos) << c.name << ": '" << want << "' not in: " << s;
    }
    for (const auto& bad : c.must_not_contain) {
        EXPECT_EQ(s.find(bad), std::string::npos) << c.name << ": '" << bad << "' in: " << s;
    }
    EXPECT_LE(text::utf8_length(plain(s)), c.chars) << c.name << ": " << s;
}

std::string filler(int words) {
    std::string s;
    for (int i = 0; i < words; ++i) {
        s += "lorem ipsum dolor ";
    }
    return s;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SnippetTable,
    ::testing::Values(
        Case{"exact term marked", {"pipeline"}, {}, "english", "The pipeline runs east.", 100,
             {"The <mark>pipeline</mark> runs east."}, {kEllipsis}},
        Case{"stem marks inflected form", {}, {"pipelin"}, "english",
             "Two new pipelines were built last year.", 100, {"<mark>pipelines</mark>"}, {}},
        Case{"case folded", {"siberia"}, {}, "english", "Power of SIBERIA and Siberia.", 100,
             {"<mark>SIBERIA</mark>", "<mark>Siberia</mark>"}, {}},
        Case{"cluster preferred", {"gas", "pipeline"}, {}, "english",
             "gas " + filler(20) + "the gas pipeline opened. " + filler(20), 60,
             {"<mark>gas</mark> <mark>pipeline</mark>"}, {}},
        Case{"html escaped", {"pipeline"}, {}, "english",
             "<script>alert('x')</script> pipeline & co \"quoted\"", 200,
             {"&lt;script&gt;", "&amp; co", "&#39;x&#39;", "&quot;quoted&quot;",
              "<mark>pipeline</mark>"},
             {"<script>"}},
        Case{"cyrillic stems", {}, {"газопровод"}, "russian",
             "Новые Газопроводы строятся в Сибири.", 100, {"<mark>Газопроводы</mark>"}, {}},
        Case{"no match gives the start", {"absent"}, {}, "english",
             "First sentence here. " + filler(40), 50, {"First sentence here.", kEllipsis},
             {"<mark>"}},
        Case{"whitespace collapsed", {"gas"}, {}, "english", "gas\n\nsupply\t\tline", 100,
             {"<mark>gas</mark> supply line"}, {"\n", "\t"}},
        Case{"apostrophe word", {"russia's"}, {}, "english", "It is Russia's gas.", 100,
             {"<mark>Russia&#39;s</mark>"}, {}}));

TEST(Snippet, CutsAtWordBoundaries) {
    std::vector<std::string> vocab = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta"};
    std::string body;
    for (int i = 0; i < 60; ++i) {
        body += vocab[static_cast<std::size_t>(i) % vocab.size()] + " ";
    }
    body += "target ";
    for (int i = 0; i < 60; ++i) {
        body += vocab[static_cast<std::size_t>(i) % vocab.size()] + " ";
    }
    SnippetGenerator gen({"target"}, {}, {}, Xapian::Stem("english"));
    for (std::size_t chars : {20U, 33U, 47U, 80U}) {
        const std::string s = gen.generate(body, chars);
        EXPECT_NE(s.find("<mark>target</mark>"), std::string::npos) << s;
        std::istringstream words(plain(s));
        std::string w;
        while (words >> w) {
            EXPECT_TRUE(w == "target" || std::find(vocab.begin(), vocab.end(), w) != vocab.end())
                << "partial word '" << w << "' in " << s;
        }
        EXPECT_EQ(s.rfind(kEllipsis), s.size() - kEllipsis.size()) << s;
        EXPECT_EQ(s.find(kEllipsis), 0U) << s;
    }
}

TEST(Snippet, ZeroLengthIsEmpty) {
    SnippetGenerator gen({"gas"}, {}, {}, Xapian::Stem("english"));
    EXPECT_EQ(gen.generate("gas everywhere", 0), "");
}

TEST(Snippet, ShortBodyHasNoEllipsis) {
    SnippetGenerator gen({"gas"}, {}, {}, Xapian::Stem("english"));
    EXPECT_EQ(gen.generate("Some gas here.", 200), "Some <mark>gas</mark> here.");
}

TEST(Snippet, PrefersSentenceStart) {
    SnippetGenerator gen({"pipeline"}, {}, {}, Xapian::Stem("english"));
    const std::string body = filler(30) + ". The pipeline opened today in the north. " + filler(30);
    const std::string s = gen.generate(body, 80);
    EXPECT_EQ(s.rfind("The <mark>pipeline</mark>", 0), 0U) << s;
}

/// The snippet generator searchd builds for the query text `q` (English).
SnippetGenerator generator_for(const std::string& q) {
    Analyzer analyzer(AnalysisConfig{});
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    Xapian::QueryParser qp = analyzer.make_query_parser("en", db);
    return SnippetGenerator::from_query(qp.parse_query(q, analyzer.query_flags()), {}, analyzer.stemmer("en"));
}

TEST(Snippet, FromQueryUsesTextTermsOnly) {
    const auto gen = generator_for("title:pipelines gas topic:energy");
    const std::string s = gen.generate("Energy: the gas pipeline and more pipelines.", 200);
    EXPECT_NE(s.find("<mark>gas</mark>"), std::string::npos) << s;
    EXPECT_NE(s.find("<mark>pipeline</mark>"), std::string::npos) << s;
    EXPECT_NE(s.find("<mark>pipelines</mark>"), std::string::npos) << s;
    EXPECT_EQ(s.find("<mark>Energy</mark>"), std::string::npos) << s;
}

TEST(Snippet, PhrasesAreMarkedOnlyWhereTheWordsFollowEachOther) {
    const std::string body =
        "Energy cooperation is a cornerstone of economic relations. Russia, with its reserves of "
        "oil and gas, supplies China through the Power of Siberia pipeline; Siberia is vast.";
    // The issue's own example: "of" is a word of the phrase, not a query word.
    const auto phrase = generator_for("\"Power of Siberia\"");
    const std::string s = phrase.generate(body, 400);
    EXPECT_NE(s.find("the <mark>Power of Siberia</mark> pipeline"), std::string::npos) << s;
    EXPECT_EQ(s.find("<mark>of</mark>"), std::string::npos) << s;
    EXPECT_EQ(s.find("<mark>Siberia</mark> is"), std::string::npos) << "Siberia alone is not the phrase: " << s;
    // A word that is also a query word of its own is marked alone too.
    const auto both = generator_for("\"Power of Siberia\" gas");
    const std::string t = both.generate(body, 400);
    EXPECT_NE(t.find("<mark>Power of Siberia</mark>"), std::string::npos) << t;
    EXPECT_NE(t.find("<mark>gas</mark>"), std::string::npos) << t;
    // The window prefers the phrase: it is one query term.
    const std::string far = std::string(600, ' ') + body;
    EXPECT_NE(phrase.generate("siberia " + far, 120).find("<mark>Power of Siberia</mark>"), std::string::npos);
}

TEST(Snippet, WildcardRoots) {
    const auto roots = SnippetGenerator::wildcard_roots("title:Pipe* AND gas -oil*");
    ASSERT_EQ(roots, (std::vector<std::string>{"pipe", "oil"}));
    SnippetGenerator gen({}, {}, roots, Xapian::Stem("english"));
    EXPECT_EQ(gen.generate("Pipelines and piping.", 200), "<mark>Pipelines</mark> and piping.");
}

} // namespace
} // namespace gazette::searchd
