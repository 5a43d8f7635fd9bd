#pragma once
// Fixtures of the serve unit tests: a temp data directory with a tiny taxonomy, a real
// WriterContext on it, and helpers to build archive records and read the live generation.

#include "tests/support/temp_dir.hpp"
#include "common/schema.hpp"
#include "indexer/serve/serve_metrics.hpp"
#include "indexer/serve/writer_loop.hpp"
#include "indexer/writer_context.hpp"

#include <gtest/gtest.h>
#include <xapian.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <shared_mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace gazette::indexer::serve::testing {

using TempDir = ::gazette::test::TempDir;

inline void write_text(const std::filesystem::path& p, std::string_view text) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

/// Waits until `pred` holds, polling every 5 ms, up to `timeout`; returns the last answer.
inline bool eventually(const std::function<bool()>& pred,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (pred()) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return pred();
}

inline ArchiveRecord upsert_record(const std::string& id, const std::string& words = "oil prices and markets") {
    ArchiveRecord r;
    r.op = ArchiveRecord::Op::upsert;
    r.id = id;
    r.article.id = id;
    r.article.title = "Report " + id;
    r.article.body = "Traders watched " + words + " on the day of " + id + ".";
    r.article.lang = "en";
    r.article.source = "Test Wire";
    r.article.date = "2024-01-02";
    return r;
}

/// `n` upserts with ids prefix0 .. prefix{n-1}.
inline std::vector<ArchiveRecord> upserts(const std::string& prefix, int n) {
    std::vector<ArchiveRecord> out;
    for (int i = 0; i < n; ++i) {
        out.push_back(upsert_record(prefix + std::to_string(i)));
    }
    return out;
}

/// termfreq of Q<id> in a fresh read-only open of `db_path` (0 when absent or unopenable).
inline unsigned id_count(const std::filesystem::path& db_path, const std::string& id) {
    try {
        const Xapian::Database db(db_path.string());
        return db.get_termfreq(std::string(schema::kIdPrefix) + id);
    } catch (const Xapian::Error&) {
        return 0;
    }
}

/// A data directory in a temp folder with a real writer context on it.
class ServeFixture : public ::testing::Test {
protected:
    void SetUp() override {
        config_.data_dir = (tmp_.path() / "data").string();
        config_.topics_file = (tmp_.path() / "topics.toml").string();
        write_text(config_.topics_file, R"([[topic]]
id = "energy"
label = "Energy"
description = "test"
threshold = 1.0
rules = [ { query = "oil", weight = 2.0 } ]
)");
        config_.indexer.threads = 1;
        config_.indexer.keep_generations = 2;
        config_.indexer.batch_size = 50;
        config_.indexer.sample_queries = {"oil", "markets"};
        auto ctx = WriterContext::open(config_);
        ASSERT_TRUE(ctx) << ctx.error().message;
        ctx_ = std::move(*ctx);
    }

    std::filesystem::path live_path() const {
        const auto live = ctx_->data_dir().live_generation();
        return live ? ctx_->data_dir().generation_path(*live) : std::filesystem::path();
    }

    TempDir tmp_;
    Config config_;
    std::unique_ptr<WriterContext> ctx_;
    ServeMetrics metrics_;
    std::shared_mutex taxonomy_lock_;
};

} // namespace gazette::indexer::serve::testing
