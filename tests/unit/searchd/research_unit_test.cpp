// Unit tests of the research pieces that need no daemon: synonyms, spelling, trend buckets,
// export formats, plain JSON numbers and the simdjson body parser.

#include "tests/support/temp_dir.hpp"
#include "searchd/api/export_format.hpp"
#include "searchd/api/json_number.hpp"
#include "searchd/api/json_output.hpp"
#include "searchd/api/params.hpp"
#include "searchd/search/explain.hpp"
#include "searchd/search/spelling.hpp"
#include "searchd/search/synonyms.hpp"
#include "searchd/search/trends.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <xapian.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>

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
    // Same answer when the term list comes from memory the second time.
    EXPECT_EQ(suggest_spelling(db, "wind turbnes", stem).value_or(""), "wind turbines");
}

TEST(Spelling, SuggestionsEqualABruteForceScanOfTheDictionary) {
    // A dense random vocabulary over few letters, so that many terms are within two edits of
    // each other: the letter-set filter and the cached term lists must not change any answer.
    TempDir dir;
    std::mt19937 rng(7);
    const std::string alphabet = "aeinrst";
    auto random_word = [&](std::size_t min_len, std::size_t max_len) {
        std::string w(min_len + rng() % (max_len - min_len + 1), 'a');
        for (auto& c : w) {
            c = alphabet[rng() % alphabet.size()];
        }
        return w;
    };
    std::map<std::string, Xapian::doccount> vocabulary;
    {
        Xapian::WritableDatabase db((dir.path() / "db").string(), Xapian::DB_CREATE);
        std::vector<Xapian::Document> docs(4);
        for (int i = 0; i < 3000; ++i) {
            const std::string w = random_word(3, 8);
            const Xapian::doccount in_docs = 1 + rng() % 4;
            for (Xapian::doccount d = 0; d < in_docs; ++d) {
                docs[d].add_term(w);
            }
            vocabulary[w] = std::max(vocabulary[w], in_docs);
        }
        for (auto& d : docs) {
            db.add_document(d);
        }
        db.commit();
    }
    Xapian::Database db((dir.path() / "db").string());
    const Xapian::Stem none;
    int suggested = 0;
    for (int q = 0; q < 400; ++q) {
        std::string word = random_word(3, 9);
        if (vocabulary.count(word) != 0 || db.get_termfreq(word) != 0) {
            continue;
        }
        // Brute force over the whole dictionary, in term order, with the documented rule.
        const std::size_t limit = word.size() <= 4 ? 1 : 2;
        std::string best;
        std::size_t best_dist = limit + 1;
        Xapian::doccount best_freq = 0;
        for (const auto& [term, freq] : vocabulary) {
            if (term[0] != word[0]) {
                continue;
            }
            const std::size_t d = edit_distance(word, term, limit);
            if (d == 0 || d > limit) {
                continue;
            }
            if (d < best_dist || (d == best_dist && freq > best_freq)) {
                best = term;
                best_dist = d;
                best_freq = freq;
            }
        }
        const auto got = suggest_spelling(db, word, none);
        EXPECT_EQ(got.value_or(""), best) << "word " << word;
        suggested += best.empty() ? 0 : 1;
    }
    EXPECT_GT(suggested, 100) << "the vocabulary should make most words correctable";
}

TEST(Spelling, NewRevisionIsScannedAfresh) {
    TempDir dir;
    const std::string path = (dir.path() / "db").string();
    const Xapian::Stem stem("en");
    {
        Xapian::WritableDatabase w(path, Xapian::DB_CREATE);
        Xapian::Document d;
        d.add_term("turbines");
        w.add_document(d);
        w.commit();
    }
    EXPECT_EQ(suggest_spelling(Xapian::Database(path), "turbnes", stem).value_or(""), "turbines");
    {
        Xapian::WritableDatabase w(path, Xapian::DB_OPEN);
        for (int i = 0; i < 3; ++i) {
            Xapian::Document d;
            d.add_term("turbnas"); // also one edit away, and more frequent
            w.add_document(d);
        }
        w.commit();
    }
    // A term list cached for the first revision would not know "turbnas".
    EXPECT_EQ(suggest_spelling(Xapian::Database(path), "turbnes", stem).value_or(""), "turbnas");
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

namespace {

/// The boost::json DOM that search_result_json used to build; the streaming writer must give
/// the same bytes.
std::string search_result_dom(const SearchResult& r) {
    auto strings = [](const std::vector<std::string>& v) {
        boost::json::array a;
        for (const auto& s : v) {
            a.emplace_back(s);
        }
        return a;
    };
    auto r3 = [](double x) { return std::round(x * 1000.0) / 1000.0; };
    boost::json::object out;
    out["query"] = boost::json::object{{"q", r.q}, {"parsed", r.parsed}};
    out["generation"] = r.generation;
    out["total"] = boost::json::object{
        {"value", r.total.value}, {"exact", r.total.exact}, {"lower", r.total.lower}, {"upper", r.total.upper}};
    out["took_ms"] = r3(r.took_ms);
    boost::json::array hits;
    for (const auto& h : r.hits) {
        boost::json::object o;
        o["id"] = h.id;
        o["title"] = h.title;
        o["url"] = h.url;
        o["source"] = h.source;
        o["author"] = strings(h.authors);
        o["date"] = h.date;
        o["lang"] = h.lang;
        o["topics"] = strings(h.topics);
        o["score"] = r3(h.score);
        o["snippet"] = h.snippet;
        if (!h.matched_terms.empty() || h.explained) {
            boost::json::object explain;
            explain["matched_terms"] = strings(h.matched_terms);
            boost::json::array terms;
            boost::json::object fields;
            double sum = 0;
            for (const auto& c : h.explanation) {
                terms.emplace_back(boost::json::object{{"term", c.term}, {"field", c.field}, {"weight", r3(c.weight)}});
                auto& f = fields[c.field];
                f = (f.is_double() ? f.get_double() : 0.0) + c.weight;
                sum += c.weight;
            }
            for (auto& [k, f] : fields) {
                f = r3(f.get_double());
            }
            explain["terms"] = std::move(terms);
            explain["fields"] = std::move(fields);
            explain["sum"] = r3(sum);
            o["explain"] = std::move(explain);
        }
        hits.emplace_back(std::move(o));
    }
    out["hits"] = std::move(hits);
    boost::json::object facets;
    bool all_exact = true;
    std::vector<const FacetResult*> last; // per field, the last result (a repeated field: last wins)
    for (const auto& f : r.facets) {
        boost::json::array values;
        for (const auto& c : f.values) {
            values.emplace_back(boost::json::object{{"value", c.value}, {"count", c.count}});
        }
        facets[facet_field_name(f.field)] = std::move(values);
        all_exact = all_exact && f.exact;
        auto same = std::find_if(last.begin(), last.end(), [&](const FacetResult* o) { return o->field == f.field; });
        if (same == last.end()) {
            last.push_back(&f);
        } else {
            *same = &f;
        }
    }
    out["facets"] = std::move(facets);
    out["facets_exact"] = all_exact;
    boost::json::array disjunctive;
    for (const FacetResult* f : last) {
        if (f->disjunctive) {
            disjunctive.emplace_back(facet_field_name(f->field));
        }
    }
    if (!disjunctive.empty()) {
        out["facets_disjunctive"] = std::move(disjunctive);
    }
    out["suggestion"] = r.suggestion ? boost::json::value(*r.suggestion) : boost::json::value(nullptr);
    out["next_cursor"] = r.next_cursor ? boost::json::value(*r.next_cursor) : boost::json::value(nullptr);
    return serialize_plain(out);
}

} // namespace

TEST(JsonOutput, StreamedSearchResultMatchesTheDom) {
    SearchResult r;
    EXPECT_EQ(search_result_json(r), search_result_dom(r)); // empty: no hits, no facets
    EXPECT_TRUE(boost::json::parse(search_result_json(r)).is_object());

    r.q = "\"solar\" \\ panels\t\x01\x1f caf\xc3\xa9 </script>";
    r.parsed = "Query((Zsolar@1 AND Zpanel@2))";
    r.generation = "gen-000007";
    r.total = Total{1234, false, 1000, 99999999999ULL};
    r.took_ms = 0.12345;
    Hit a;
    a.id = "a/1";
    a.title = "Quotes &quot; and \"raw\" \r\n\b\f";
    a.url = "https://example.org/x?a=1&b=\"2\"";
    a.source = "Energy Daily";
    a.authors = {"Ann \"A\" Lee", "Bo"};
    a.date = "2024-01-02";
    a.lang = "en";
    a.topics = {"energy", "climate"};
    a.score = 12.3456;
    a.snippet = "the <mark>solar</mark> panel\x7f";
    Hit b = a;
    b.id = "b/2";
    b.authors.clear();
    b.topics.clear();
    b.score = -0.0001;
    b.snippet.clear();
    b.explained = true;
    b.matched_terms = {"Zsolar"};
    b.explanation = {{"Zsolar", "text", 1.5}, {"Ssolar", "title", 0.25}, {"Zpanel", "text", 2.0}};
    r.hits = {a, b};
    r.facets = {FacetResult{FacetField::topic, {{"energy", 5}, {"x\"y", 1}}, true},
                FacetResult{FacetField::year, {}, false},
                FacetResult{FacetField::source, {{"AP", 3}}, true, true}, // counted without its filter
                FacetResult{FacetField::topic, {{"later", 2}}, true}}; // repeated field: last wins
    r.suggestion = "solar \"panels\"";
    r.next_cursor = "abc_-123";
    const std::string streamed = search_result_json(r);
    EXPECT_EQ(streamed, search_result_dom(r));
    const auto parsed = boost::json::parse(streamed);
    EXPECT_EQ(parsed.at("query").at("q").as_string(), r.q);
    EXPECT_EQ(parsed.at("hits").at(0).at("title").as_string(), a.title);
    EXPECT_EQ(parsed.at("total").at("upper").to_number<std::uint64_t>(), 99999999999ULL);
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
