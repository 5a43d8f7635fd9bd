#include "indexer/jobs/retag_job.hpp"

#include "common/logging.hpp"
#include "indexer/jobs/catch_up.hpp"
#include "indexer/jobs/generation_files.hpp"
#include "indexer/jobs/retention.hpp"
#include "indexer/writer.hpp"

#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <mutex>
#include <thread>

namespace fs = std::filesystem;

namespace gazette::indexer {

namespace {

constexpr std::size_t kRetagCommitEvery = 5000;

struct Change {
    Xapian::docid docid = 0;
    std::vector<TopicScore> topics;
};

/// Classifies every document of the (quiescent) database at `path` on `threads` threads, each
/// with its own Database handle. Returns the documents whose topics changed, in docid order.
std::vector<Change> classify_all(const DocumentBuilder& builder, const fs::path& path, std::size_t threads,
                                 Progress& progress, const std::atomic<bool>& cancel, std::size_t& documents,
                                 std::size_t& unreadable) {
    std::vector<Xapian::docid> ids;
    {
        const Xapian::Database db(path.string());
        ids.reserve(db.get_doccount());
        for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
            ids.push_back(*it);
        }
    }
    progress.set_total(ids.size());
    documents = ids.size();
    const std::size_t k = std::max<std::size_t>(1, std::min(threads, ids.size()));
    std::vector<std::vector<Change>> found(k);
    std::vector<std::size_t> bad(k, 0);
    std::atomic<std::size_t> next{0};
    std::atomic<bool> stop{false};
    std::exception_ptr error;
    std::mutex error_mutex;
    auto work = [&](std::size_t t) {
        try {
            const Xapian::Database db(path.string());
            constexpr std::size_t kChunk = 64;
            while (!stop.load(std::memory_order_relaxed)) {
                if (cancel.load(std::memory_order_relaxed)) {
                    stop.store(true);
                    return;
                }
                const std::size_t begin = next.fetch_add(kChunk);
                if (begin >= ids.size()) {
                    return;
                }
                const std::size_t end = std::min(begin + kChunk, ids.size());
                for (std::size_t i = begin; i < end; ++i) {
                    const Xapian::Document doc = db.get_document(ids[i]);
                    auto article = article_from_json(doc.get_data());
                    if (!article) {
                        ++bad[t];
                        continue;
                    }
                    auto topics = builder.topics_for(doc, *article);
                    if (topics_differ(topics, article->topics)) {
                        found[t].push_back(Change{ids[i], std::move(topics)});
                    }
                }
                progress.advance(end - begin);
            }
        } catch (...) {
            std::lock_guard lock(error_mutex);
            if (!error) {
                error = std::current_exception();
            }
            stop.store(true);
        }
    };
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < k; ++t) {
        pool.emplace_back(work, t);
    }
    work(0);
    for (auto& th : pool) {
        th.join();
    }
    if (error) {
        std::rethrow_exception(error);
    }
    throw_if_cancelled(cancel);
    std::vector<Change> changes;
    for (auto& f : found) {
        std::move(f.begin(), f.end(), std::back_inserter(changes));
    }
    std::sort(changes.begin(), changes.end(), [](const Change& a, const Change& b) { return a.docid < b.docid; });
    for (auto b : bad) {
        unreadable += b;
    }
    return changes;
}

/// Rewrites the topic terms, value and stored data of the changed documents. Not yet live,
/// so no fsync per commit: install_generation fsyncs the result.
void apply_changes(const Analyzer& analyzer, const fs::path& path, const std::vector<Change>& changes,
                   const std::atomic<bool>& cancel) {
    Xapian::WritableDatabase db(path.string(), Xapian::DB_OPEN | Xapian::DB_NO_SYNC | Xapian::DB_BACKEND_GLASS);
    db.begin_transaction(false);
    std::size_t pending = 0;
    for (const auto& change : changes) {
        Xapian::Document doc = db.get_document(change.docid);
        auto article = article_from_json(doc.get_data());
        if (!article) {
            continue; // classify_all decoded it; cannot happen unless the copy changed
        }
        article->topics = change.topics;
        analyzer.retopic_document(doc, *article);
        db.replace_document(change.docid, doc);
        if (++pending >= kRetagCommitEvery) {
            throw_if_cancelled(cancel);
            db.commit_transaction();
            db.begin_transaction(false);
            pending = 0;
        }
    }
    db.commit_transaction();
}

} // namespace

bool topics_differ(const std::vector<TopicScore>& a, const std::vector<TopicScore>& b) {
    if (a.size() != b.size()) {
        return true;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].id != b[i].id || a[i].editor != b[i].editor ||
            std::lround(a[i].score * 1000.0) != std::lround(b[i].score * 1000.0)) {
            return true;
        }
    }
    return false;
}

Result<RetagSummary> run_retag(WriterContext& ctx, const RetagJobOptions& options, Progress& progress,
                               const std::atomic<bool>& cancel) {
    const auto start = std::chrono::steady_clock::now();
    const DataDir& dd = ctx.data_dir();
    auto log = logger("jobs");
    RetagSummary summary;
    const auto live = dd.live_generation();
    if (!live) {
        return Error(ErrorCode::not_ready, "retag: there is no live generation yet; run 'index' or 'reindex' first");
    }
    summary.previous = *live;
    GenerationBuild build(dd);
    summary.generation = build.name();
    const fs::path& work = build.work();
    const fs::path copy = work / "db";
    const fs::path& target = build.target();
    try {
        Result<void> reloaded;
        run_exclusive(options.exclusive, [&] {
            reloaded = ctx.reload_taxonomy();
            if (reloaded) {
                copy_database_files(dd.generation_path(summary.previous), copy);
            }
        });
        if (!reloaded) {
            build.discard();
            return reloaded.error();
        }
        log->info("retag started generation={} from={}", summary.generation, summary.previous);
        const auto changes = classify_all(ctx.builder(), copy, ctx.threads(), progress, cancel, summary.documents,
                                          summary.unreadable);
        summary.changed = changes.size();
        apply_changes(ctx.analyzer(), copy, changes, cancel);
        throw_if_cancelled(cancel);

        std::uint64_t seq = 0;
        {
            const Xapian::Database db(copy.string());
            const std::string v = db.get_metadata(std::string(kMetaArchiveSeq));
            seq = v.empty() ? 0 : std::stoull(v);
        }
        stamp_generation(copy, seq);
        install_generation(dd, copy, summary.generation);
        fs::remove_all(work);
        summary.caught_up = catch_up_generation(ctx, target);
        throw_if_cancelled(cancel);
        run_exclusive(options.exclusive, [&] {
            summary.caught_up += catch_up_generation(ctx, target);
            dd.publish_live(summary.generation);
            build.mark_published();
        });
        summary.outcome = JobOutcome::published;
        summary.deleted_generations = apply_retention(dd, ctx.config().indexer.keep_generations);
    } catch (const JobCancelled&) {
        build.discard();
        summary.outcome = JobOutcome::cancelled;
    } catch (...) {
        build.discard();
        throw;
    }
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    log->info("retag {} generation={} documents={} changed={} seconds={:.1f}", job_outcome_name(summary.outcome),
              summary.generation, summary.documents, summary.changed, summary.seconds);
    return summary;
}

} // namespace gazette::indexer
