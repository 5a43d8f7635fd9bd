#pragma once
// Fixtures of the operations tests: a temp data directory with a small taxonomy, a writer
// context on it, and helpers to archive articles and read generations back.

#include "tests/support/temp_dir.hpp"
#include "common/schema.hpp"
#include "indexer/jobs/catch_up.hpp"
#include "indexer/ingest.hpp"
#include "indexer/writer_context.hpp"

#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace gazette::indexer::testing {

using TempDir = ::gazette::test::TempDir;

inline void write_text(const std::filesystem::path& p, std::string_view text) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

/// Two topics; `energy_word` is the word whose mention makes an article "energy".
inline std::string taxonomy(std::string_view energy_word = "oil") {
    return std::string(R"([[topic]]
id = "energy"
label = "Energy"
description = "test"
threshold = 1.0
rules = [ { query = ")") + std::string(energy_word) + R"(", weight = 2.0 } ]

[[topic]]
id = "military"
label = "Military"
description = "test"
threshold = 1.0
rules = [ { query = "tank", weight = 2.0 } ]
)";
}

/// A data directory in a temp folder with a writer context on it.
class OpsFixture : public ::testing::Test {
protected:
    void SetUp() override {
        config_.data_dir = (tmp_.path() / "data").string();
        config_.topics_file = (tmp_.path() / "topics.toml").string();
        write_text(config_.topics_file, taxonomy());
        config_.indexer.threads = 2;
        config_.indexer.keep_generations = 2;
        config_.indexer.batch_size = 50;
        config_.indexer.sample_queries = {"oil", "tank", "market"};
        open();
    }

    void open() {
        ctx_.reset();
        auto ctx = WriterContext::open(config_);
        ASSERT_TRUE(ctx) << ctx.error().message;
        ctx_ = std::move(*ctx);
    }

    static Article article(const std::string& id, const std::string& title, const std::string& body) {
        Article a;
        a.id = id;
        a.title = title;
        a.body = body;
        a.lang = "en";
        a.source = "Test Wire";
        a.date = "2024-01-02";
        return a;
    }

    void upsert(std::vector<Article> articles) {
        std::vector<ArchiveRecord> records;
        for (auto& a : articles) {
            ArchiveRecord r;
            r.op = ArchiveRecord::Op::upsert;
            r.id = a.id;
            r.article = std::move(a);
            records.push_back(std::move(r));
        }
        ctx_->archive().append(records);
    }

    void remove(const std::string& id) {
        std::vector<ArchiveRecord> records(1);
        records[0].op = ArchiveRecord::Op::remove;
        records[0].id = id;
        ctx_->archive().append(records);
    }

    /// `n` generic articles: every third about oil, every fifth about tanks.
    std::vector<Article> corpus(int n, const std::string& prefix = "a") {
        std::vector<Article> out;
        for (int i = 0; i < n; ++i) {
            std::string body = "Markets moved on day " + std::to_string(i) + " as traders watched the news.";
            if (i % 3 == 0) {
                body += " Oil prices rose and oil exports grew.";
            }
            if (i % 5 == 0) {
                body += " A tank column crossed the border.";
            }
            out.push_back(article(prefix + std::to_string(i), "Report " + std::to_string(i), body));
        }
        return out;
    }

    /// Brings the live generation (created when missing) up to the archive, like `index` does.
    void index_live() {
        const auto gen = ensure_live_generation(*ctx_);
        catch_up_generation(*ctx_, ctx_->data_dir().generation_path(gen));
    }

    std::filesystem::path live_path() const {
        return ctx_->data_dir().generation_path(ctx_->data_dir().live_generation().value());
    }

    /// Article ids held by the database at `path` (from its Q terms).
    static std::set<std::string> ids_in(const std::filesystem::path& path) {
        const Xapian::Database db(path.string());
        std::set<std::string> ids;
        const std::string prefix(schema::kIdPrefix);
        for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it) {
            ids.insert((*it).substr(prefix.size()));
        }
        return ids;
    }

    /// Topic terms of the document with this id, sorted.
    static std::vector<std::string> topics_of(const std::filesystem::path& path, const std::string& id) {
        const Xapian::Database db(path.string());
        auto pl = db.postlist_begin(std::string(schema::kIdPrefix) + id);
        if (pl == db.postlist_end(std::string(schema::kIdPrefix) + id)) {
            return {};
        }
        const Xapian::Document doc = db.get_document(*pl);
        std::vector<std::string> topics;
        const std::string prefix(schema::kTopicPrefix);
        for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
            const std::string t = *it;
            if (t.compare(0, prefix.size(), prefix) == 0) {
                topics.push_back(t.substr(prefix.size()));
            }
        }
        return topics;
    }

    /// Non-topic terms of the document with this id, with their wdf, for "text unchanged".
    static std::vector<std::pair<std::string, Xapian::termcount>> text_terms_of(const std::filesystem::path& path,
                                                                              const std::string& id) {
        const Xapian::Database db(path.string());
        const Xapian::Document doc = db.get_document(*db.postlist_begin(std::string(schema::kIdPrefix) + id));
        std::vector<std::pair<std::string, Xapian::termcount>> terms;
        const std::string prefix(schema::kTopicPrefix);
        for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
            const std::string t = *it;
            if (t.compare(0, prefix.size(), prefix) != 0) {
                terms.emplace_back(t, it.get_wdf());
            }
        }
        return terms;
    }

    TempDir tmp_;
    Config config_;
    std::unique_ptr<WriterContext> ctx_;
    std::atomic<bool> no_cancel_{false};
};

} // namespace gazette::indexer::testing
