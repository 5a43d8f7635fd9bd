#pragma once
// Test helpers: a temp data directory removed by RAII, and real Xapian generations built
// with the shared Analyzer exactly as the indexer builds them.

#include "tests/support/temp_dir.hpp"
#include "common/analyzer.hpp"
#include "common/article.hpp"
#include "common/config.hpp"
#include "common/data_dir.hpp"

#include <xapian.h>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

namespace gazette::searchd::test {

using TempDir = ::gazette::test::TempDir;

inline Article make_article(std::string id, std::string title, std::string body,
                            std::string date = "", std::string source = "",
                            std::vector<std::string> topics = {},
                            std::vector<std::string> authors = {},
                            std::vector<std::string> tags = {}, std::string lang = "en") {
    Article a;
    a.id = std::move(id);
    a.title = std::move(title);
    a.body = std::move(body);
    a.date = std::move(date);
    a.source = std::move(source);
    a.authors = std::move(authors);
    a.tags = std::move(tags);
    a.lang = std::move(lang);
    for (auto& t : topics) {
        a.topics.push_back(TopicScore{std::move(t), 1.0, false});
    }
    return a;
}

/// Writes `articles` into generation `gen` of `data_dir` (replacing by id) and optionally
/// publishes it as live.
inline void build_generation(const DataDir& data_dir, const Analyzer& analyzer, const std::string& gen,
                             const std::vector<Article>& articles, bool publish = true) {
    data_dir.create_layout();
    Xapian::WritableDatabase db(data_dir.generation_path(gen).string(), Xapian::DB_CREATE_OR_OPEN);
    Xapian::TermGenerator tg = analyzer.make_term_generator("en");
    for (const auto& a : articles) {
        Xapian::Document doc = analyzer.build_document(a, tg);
        db.replace_document("Q" + a.id, doc);
    }
    db.set_metadata("gazette.last_update", "2024-06-01T00:00:00Z");
    db.commit();
    db.close();
    if (publish) {
        data_dir.publish_live(gen);
    }
}

/// A small corpus with multi-valued topics, several sources, authors, tags, languages, dates.
inline std::vector<Article> sample_corpus() {
    return {
        make_article("a1", "Gas pipeline to China", "The Power of Siberia pipeline carries gas to China. Energy exports grow.",
                     "2024-05-16", "Reuters", {"energy", "trade"}, {"Ann Lee"}, {"gas", "china"}),
        make_article("a2", "Sanctions on oil", "New sanctions target oil exports and shipping insurers.",
                     "2023-02-01", "Reuters", {"sanctions", "energy"}, {"Bob Stone"}, {"oil"}),
        make_article("a3", "Military drills", "Navy drills near the strait raise tension; diplomats call for talks.",
                     "2023-07-10", "AP", {"military", "diplomacy"}, {"Ann Lee", "Cy Twombly"}, {}),
        make_article("a4", "Trade talks resume", "Negotiators resume trade talks on tariffs and gas supplies.",
                     "2022-11-30", "AP", {"trade", "diplomacy"}, {"Dee Dee"}, {"tariffs"}),
        make_article("a5", "Pipelines and politics", "Pipelines shape politics: gas pipelines across Europe.",
                     "2024-01-05", "Bloomberg", {"energy", "politics"}, {}, {"gas"}),
        make_article("a6", "Undated note", "A note about nuclear energy policy without a date.", "",
                     "Bloomberg", {"nuclear", "energy"}, {}, {}),
        make_article("a7", "Газопровод в Китай", "Газопровод Сила Сибири поставляет газ в Китай.",
                     "2024-03-03", "TASS", {"energy"}, {}, {}, "ru"),
    };
}

inline Config test_config(const std::filesystem::path& data_dir) {
    Config c;
    c.data_dir = data_dir.string();
    c.searchd.threads = 2;
    // Tests commit and search back to back: every query checks for a newer commit.
    c.searchd.reopen_check_ms = 0;
    return c;
}

} // namespace gazette::searchd::test
