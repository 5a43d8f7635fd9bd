#include "indexer/jobs/reindex_job.hpp"

#include "common/logging.hpp"
#include "indexer/jobs/catch_up.hpp"
#include "indexer/jobs/disk_space.hpp"
#include "indexer/jobs/generation_files.hpp"
#include "indexer/jobs/retention.hpp"
#include "indexer/jobs/sharded_build.hpp"
#include "indexer/writer.hpp"

#include <fmt/format.h>

#include <chrono>

namespace fs = std::filesystem;

namespace gazette::indexer {

Result<ReindexSummary> run_reindex(WriterContext& ctx, const ReindexJobOptions& options, Progress& progress,
                                   const std::atomic<bool>& cancel) {
    const auto start = std::chrono::steady_clock::now();
    const DataDir& dd = ctx.data_dir();
    auto log = logger("jobs");
    ReindexSummary summary;
    summary.max_diff = ctx.config().indexer.reindex_max_diff;
    summary.previous = dd.live_generation().value_or(std::string());
    if (options.check_space && !summary.previous.empty()) {
        const fs::path live = dd.generation_path(summary.previous);
        if (auto ok = check_reindex_space(live.parent_path(), directory_bytes(live), options.free_space); !ok) {
            log->error("reindex refused: {}", ok.error().message);
            return ok.error();
        }
    }
    GenerationBuild build(dd);
    summary.generation = build.name();
    const fs::path& work = build.work();
    const fs::path& target = build.target();
    log->info("reindex started generation={} previous={}", summary.generation,
              summary.previous.empty() ? "(none)" : summary.previous);

    try {
        // Records appended from here on are caught up below: the scan may see some of them
        // already, which is harmless because upserts and deletes are idempotent.
        summary.archive_seq = ctx.archive().last_seq();
        std::size_t pass1_ids = 0;
        const RecordSource source = [&](const std::function<void(ArchiveRecord&&)>& sink) {
            ctx.archive().scan_latest(sink, [&](std::size_t total) {
                pass1_ids = total;
                progress.set_total(total);
                throw_if_cancelled(cancel);
            });
        };
        ShardedBuildOptions build_options = options.build;
        if (build_options.shards == 0) {
            build_options.shards = ctx.threads();
        }
        const auto stats = build_sharded(ctx.builder(), source, work / "shards", work / "merged", build_options,
                                         progress, cancel);
        summary.shards = stats.shards;
        summary.runs = stats.runs;
        summary.build_seconds = stats.build_seconds;
        summary.merge_seconds = stats.merge_seconds;
        throw_if_cancelled(cancel);

        stamp_generation(work / "merged", summary.archive_seq);
        install_generation(dd, work / "merged", summary.generation);
        fs::remove_all(work);
        summary.caught_up = catch_up_generation(ctx, target);
        throw_if_cancelled(cancel);

        // Verify: exactly the archive's live ids, as of the sequence number now committed.
        const Xapian::Database fresh(target.string());
        summary.documents = fresh.get_doccount();
        const std::string seq_meta = fresh.get_metadata(std::string(kMetaArchiveSeq));
        summary.archive_seq = seq_meta.empty() ? 0 : std::stoull(seq_meta);
        summary.archive_ids = summary.caught_up == 0 ? pass1_ids : ctx.archive().live_ids(summary.archive_seq).size();
        if (summary.documents != summary.archive_ids) {
            build.discard();
            return Error(ErrorCode::internal,
                         fmt::format("reindex: generation {} has {} documents but the archive has {} live ids; "
                                     "the generation was removed and the live one left as it was",
                                     summary.generation, summary.documents, summary.archive_ids));
        }

        // Ranking diff against the live generation.
        summary.diff_skipped = true;
        if (!summary.previous.empty()) {
            const Xapian::Database live(dd.generation_path(summary.previous).string());
            if (live.get_doccount() > 0) {
                summary.diff_skipped = false;
                summary.diff = compare_rankings(live, fresh, ctx.analyzer(), ctx.config().indexer.sample_queries);
            }
        }
        throw_if_cancelled(cancel);
        if (!summary.diff_skipped && summary.diff.mean_disagreement > summary.max_diff && !options.force) {
            summary.outcome = JobOutcome::refused;
        } else if (options.no_swap) {
            summary.outcome = JobOutcome::built;
        } else {
            run_exclusive(options.exclusive, [&] {
                // Whatever arrived since the first catch-up, then the atomic swap.
                summary.caught_up += catch_up_generation(ctx, target);
                dd.publish_live(summary.generation);
                build.mark_published();
            });
            summary.outcome = JobOutcome::published;
            summary.deleted_generations = apply_retention(dd, ctx.config().indexer.keep_generations);
            summary.documents = Xapian::Database(target.string()).get_doccount();
        }
    } catch (const JobCancelled&) {
        build.discard();
        summary.outcome = JobOutcome::cancelled;
    } catch (...) {
        build.discard();
        throw;
    }
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    log->info("reindex {} generation={} documents={} seconds={:.1f} diff={:.3f}", job_outcome_name(summary.outcome),
              summary.generation, summary.documents, summary.seconds, summary.diff.mean_disagreement);
    return summary;
}

} // namespace gazette::indexer
