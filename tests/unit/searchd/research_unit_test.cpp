// Unit tests of the research pieces that need no daemon: synonyms, spelling, trend buckets,
// export formats, plain JSON numbers and the simdjson body parser.

#include "tests/support/temp_dir.hpp"
#include "searchd/api/export_format.hpp"
#include "searchd/api/json_number.hpp"
#include "searchd/api/params.hpp"
#include "searchd/search/explain.hpp"
#include "searchd/search/spelling.hpp"
#include "searchd/search/synonyms.hpp"
#include "searchd/search/trends.hpp"

#include <gtest/gtest.h>
#include <xapian.h>

#include <cstdlib>
#include <filesystem>

namespace fs = std::filesystem;
using namespace gazette::searchd;
using namespace gazette::searchd::api;

namespace {

using TempDir = ::gazette::test::TempDir;

} // namespace

TEST(Synonyms, ParsesGroupsAndSkipsComments) {
    const auto s = Synonyms::parse("# comment\nusa, United  States, us\n\nsolo\nuk,britain\n");
    EXPECT_EQ(s.size(), 2u); // "solo" alone is not a group
}

TEST(Synonyms, ExpandsPlainWordsAndPhrasesOnly) {
    const auto s = Synonyms::parse("usa, united states, us\n"); // "us" only here
    EXPECT_EQ(s.expand("usa trade"), "(usa OR \"united states\" OR us) trade");
    EXPECT_EQ(s.expand("United States trade"), "(usa OR \"united states\" OR us) trade");
    EXPECT_EQ(s.expand("\"united states\" trade"), "\"united states\" trade");
    EXPECT_EQ(s.expand("title:usa"), "title:usa");
    EXPECT_EQ(s.expand("-usa +usa"), "-usa +usa");
    EXPECT_EQ(s.expand("usa NEAR trade"), "usa NEAR trade");
    EXPECT_EQ(s.expand("(usa)"), "((usa OR \"united states\" OR us))");
    EXPECT_EQ(s.expand("usable"), "usable");
}

TEST(Spelling, EditDistanceCountsCodePoints) {
    EXPECT_EQ(edit_distance("turbines", "turbnes", 2), 1u);
    EXPECT_EQ(edit_distance("lithium", "lihtium", 2), 1u); // transposition
    EXPECT_EQ(edit_distance("café", "cafe", 2), 1u);
    EXPECT_EQ(edit_distance("abc", "xyzw", 2), 3u); // limit + 1
}

TEST(Spelling, EditDistanceCountsCodePointsNotBytes) {
    // Lengths are compared in code points before any table work: "é" is 2 bytes, 1 symbol.
    EXPECT_EQ(edit_distance("résumé", "resume", 2), 2u);
    EXPECT_EQ(edit_distance("ééé", "e", 1), 2u);         // 3 vs 1 code points: limit + 1
    EXPECT_EQ(edit_distance("日本語", "日本", 1), 1u);
    EXPECT_EQ(edit_distance("", "ab", 2), 2u);
    EXPECT_EQ(edit_distance("ab", "", 1), 2u);           // limit + 1
    // Reused per-thread rows: a long pair after a short one still computes from scratch.
    EXPECT_EQ(edit_distance("ab", "ba", 2), 1u);
    EXPECT_EQ(edit_distance("sanctions", "sanctoins", 2), 1u);
    EXPECT_EQ(edit_distance("sanctions", "snactoins", 2), 2u);
}

TEST(Spelling, SuggestsFromTheTermDictionary) {
    TempDir dir;
    {
        Xapian::WritableDatabase db((dir.path() / "db").string(), Xapian::DB_CREATE);
        for (int i = 0; i < 3; ++i) {
            Xapian::Document d;
            d.add_term("turbines");
            d.add_term("Zturbin");
            d.add_term("wind");
            db.add_document(d);
        }
        Xapian::Document d;
        d.add_term("turbans");
        d.add_term("Sturbines"); // prefixed terms are never suggested
        db.add_document(d);
        db.commit();
    }
    Xapian::Database db((dir.path() / "db").string());
    const Xapian::Stem stem("en");
    EXPECT_EQ(suggest_spelling(db, "wind turbnes", stem).value_or(""), "wind turbines");
    EXPECT_FALSE(suggest_spelling(db, "wind turbines", stem).has_value());
    EXPECT_FALSE(suggest_spelling(db, "title:turbnes", stem).has_value());
    EXPECT_FALSE(suggest_spelling(db, "zzzzqqq", stem).has_value());
}

TEST(Trends, BucketKeysAndRanges) {
    EXPECT_EQ(trend_bucket_key("20220310", TrendInterval::year), "2022");
    EXPECT_EQ(trend_bucket_key("20220310", TrendInterval::month), "2022-03");
    EXPECT_EQ(trend_bucket_key("20220310", TrendInterval::day), "2022-03-10");
    EXPECT_EQ(trend_bucket_key("20220310", TrendInterval::week), "2022-03-07");
    EXPECT_EQ(trend_bucket_key("2022", TrendInterval::year), "");
    EXPECT_EQ(trend_key_range("2021-11", "2022-02", TrendInterval::month),
              (std::vector<std::string>{"2021-11", "2021-12", "2022-01", "2022-02"}));
    EXPECT_EQ(trend_key_range("2022-02-28", "2022-03-14", TrendInterval::week),
              (std::vector<std::string>{"2022-02-28", "2022-03-07", "2022-03-14"}));
    EXPECT_EQ(trend_key_range("2020", "2022", TrendInterval::year).size(), 3u);
}

TEST(ExportFormat, CsvQuotingFollowsRfc4180) {
    EXPECT_EQ(csv_escape("plain"), "plain");
    EXPECT_EQ(csv_escape("a,b"), "\"a,b\"");
    EXPECT_EQ(csv_escape("say \"hi\""), "\"say \"\"hi\"\"\"");
    EXPECT_EQ(csv_escape("two\nlines"), "\"two\nlines\"");
}

TEST(ExportFormat, BibtexEscapesSpecials) {
    EXPECT_EQ(bibtex_escape("{50% & $x_1}"), "\\{50\\% \\& \\$x\\_1\\}");
    EXPECT_EQ(bibtex_key("a/b c"), "a_b_c");
    ExportRecord r;
    r.hit.id = "x1";
    r.hit.title = "T {odd}";
    r.hit.authors = {"A One", "B Two"};
    r.hit.date = "2022-03-10";
    const std::string bib = export_record(ExportFormat::bibtex, default_export_fields(), r);
    EXPECT_NE(bib.find("@misc{x1,"), std::string::npos);
    EXPECT_NE(bib.find("author = {A One and B Two}"), std::string::npos);
    EXPECT_NE(bib.find("title = {T \\{odd\\}}"), std::string::npos);
    const std::string ris = export_record(ExportFormat::ris, default_export_fields(), r);
    EXPECT_EQ(ris.rfind("TY  - NEWS\r\n", 0), 0u);
    EXPECT_NE(ris.find("AU  - B Two\r\n"), std::string::npos);
    EXPECT_NE(ris.find("DA  - 2022/03/10\r\n"), std::string::npos);
}

TEST(JsonNumber, PlainDecimalsWithThreeDigits) {
    EXPECT_EQ(format_decimal3(0.975), "0.975");
    EXPECT_EQ(format_decimal3(12.5), "12.5");
    EXPECT_EQ(format_decimal3(3.0), "3");
    EXPECT_EQ(format_decimal3(0.00012), "0");
    EXPECT_EQ(format_decimal3(1.23456), "1.235");
    boost::json::object o;
    o["s"] = 0.975;
    o["t"] = "x";
    o["n"] = 4;
    EXPECT_EQ(serialize_plain(o), R"({"s":0.975,"t":"x","n":4})");
}

TEST(JsonBody, SimdjsonParsesFieldsAndLimitsDepth) {
    auto p = json_body_params(R"({"q":"a \"b\"","limit":20,"topic":["x","y"],"explain":true,"n":null})");
    ASSERT_TRUE(p) << p.error().message;
    EXPECT_EQ(p->size(), 5u);
    EXPECT_EQ((*p)[0].second, "a \"b\"");
    EXPECT_EQ((*p)[1].second, "20");
    EXPECT_EQ((*p)[4].second, "true");
    std::string deep = R"({"q":)" + std::string(64, '[') + std::string(64, ']') + "}";
    auto d = json_body_params(deep);
    ASSERT_FALSE(d);
    EXPECT_EQ(d.error().code, gazette::ErrorCode::bad_json);
    EXPECT_FALSE(json_body_params("[1,2]"));
    EXPECT_FALSE(json_body_params(R"({"q":"x"} trailing)"));
    EXPECT_FALSE(json_body_params(R"({"q":{"nested":1}})"));
}

TEST(Explain, FieldsByPrefix) {
    EXPECT_STREQ(term_field("Ssolar"), "title");
    EXPECT_STREQ(term_field("ZSsolar"), "title");
    EXPECT_STREQ(term_field("solar"), "text");
    EXPECT_STREQ(term_field("Zsolar"), "text");
    EXPECT_STREQ(term_field("XAklee"), "author");
    EXPECT_STREQ(term_field("XSOURCEenergy daily"), "source");
    EXPECT_STREQ(term_field("XTOPICenergy"), "topic");
    EXPECT_TRUE(is_weighted_term("XSenergy"));
    EXPECT_FALSE(is_weighted_term("XTOPICenergy"));
    EXPECT_FALSE(is_weighted_term("Qr01"));
}
