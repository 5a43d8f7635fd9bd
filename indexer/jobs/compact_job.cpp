#include "indexer/jobs/compact_job.hpp"

#include "common/logging.hpp"
#include "indexer/jobs/catch_up.hpp"
#include "indexer/jobs/generation_files.hpp"
#include "indexer/jobs/retention.hpp"

#include <xapian.h>

#include <chrono>

namespace fs = std::filesystem;

namespace gazette::indexer {

std::uint64_t database_bytes(const fs::path& dir) {
    std::uint64_t total = 0;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        if (e.is_regular_file(ec)) {
            total += e.file_size(ec);
        }
    }
    return total;
}

Result<CompactSummary> run_compact(WriterContext& ctx, const CompactJobOptions& options, Progress& progress,
                                   const std::atomic<bool>& cancel) {
    const auto start = std::chrono::steady_clock::now();
    const DataDir& dd = ctx.data_dir();
    CompactSummary summary;
    const auto live = dd.live_generation();
    if (!live) {
        return Error(ErrorCode::not_ready, "compact: there is no live generation yet");
    }
    summary.previous = *live;
    GenerationBuild build(dd);
    summary.generation = build.name();
    const fs::path& work = build.work();
    const fs::path& target = build.target();
    try {
        const fs::path source = dd.generation_path(summary.previous);
        summary.bytes_before = database_bytes(source);
        // Copy first (fast, inside the exclusive section), then compact the quiet copy: a
        // compaction reading the live files could be overtaken by the live writer's commits.
        run_exclusive(options.exclusive, [&] { copy_database_files(source, work / "copy"); });
        throw_if_cancelled(cancel);
        {
            Xapian::Database db((work / "copy").string());
            summary.documents = db.get_doccount();
            progress.set_total(summary.documents);
            // User metadata (schema version, archive_seq, ...) is carried over by compact.
            db.compact((work / "db").string(), Xapian::DBCOMPACT_MULTIPASS | Xapian::DB_BACKEND_GLASS);
        }
        progress.advance(summary.documents);
        fs::remove_all(work / "copy");
        throw_if_cancelled(cancel);
        install_generation(dd, work / "db", summary.generation);
        fs::remove_all(work);
        summary.caught_up = catch_up_generation(ctx, target);
        run_exclusive(options.exclusive, [&] {
            summary.caught_up += catch_up_generation(ctx, target);
            dd.publish_live(summary.generation);
            build.mark_published();
        });
        summary.bytes_after = database_bytes(target);
        summary.deleted_generations = apply_retention(dd, ctx.config().indexer.keep_generations);
    } catch (const JobCancelled&) {
        build.discard();
        summary.outcome = JobOutcome::cancelled;
    } catch (...) {
        build.discard();
        throw;
    }
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    logger("jobs")->info("compact {} generation={} bytes_before={} bytes_after={}", job_outcome_name(summary.outcome),
                         summary.generation, summary.bytes_before, summary.bytes_after);
    return summary;
}

} // namespace gazette::indexer
