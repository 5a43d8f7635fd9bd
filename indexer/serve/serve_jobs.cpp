#include "indexer/serve/serve_jobs.hpp"

#include "indexer/jobs/compact_job.hpp"
#include "indexer/jobs/reindex_job.hpp"
#include "indexer/jobs/retag_job.hpp"
#include "indexer/jobs/verify_job.hpp"

#include <fmt/format.h>

namespace gazette::indexer::serve {

namespace {

bool flag(const JobParams& params, const std::string& name) {
    const auto it = params.find(name);
    return it != params.end() && (it->second.empty() || it->second == "true" || it->second == "1");
}

/// The writer's exclusive section in the shape the jobs expect.
ExclusiveSection exclusive_section(WriterLoop& writer) {
    return [&writer](const std::function<void()>& critical) {
        writer.run_exclusive([&critical](WriterAccess&) { critical(); });
    };
}

} // namespace

std::map<std::string, JobFn> serve_job_kinds(WriterContext& ctx, WriterLoop& writer, std::shared_mutex& taxonomy_lock) {
    std::map<std::string, JobFn> kinds;
    kinds["reindex"] = [&ctx, &writer, &taxonomy_lock](const JobParams& params, Progress& progress,
                                                       const std::atomic<bool>& cancel) -> Result<JobResult> {
        std::shared_lock taxonomy(taxonomy_lock);
        ReindexJobOptions options;
        options.force = flag(params, "force");
        options.no_swap = flag(params, "no_swap");
        options.check_space = !flag(params, "skip_space_check");
        options.exclusive = exclusive_section(writer);
        auto summary = run_reindex(ctx, options, progress, cancel);
        if (!summary) {
            return summary.error();
        }
        JobResult r;
        r.generation = summary->generation;
        r.outcome = job_outcome_name(summary->outcome);
        r.cancelled = summary->outcome == JobOutcome::cancelled;
        r.failed = summary->outcome == JobOutcome::refused;
        r.message = fmt::format("{}: {} documents in {} ({} caught up after the scan) in {:.1f}s", r.outcome,
                                summary->documents, summary->generation, summary->caught_up, summary->seconds);
        if (summary->outcome == JobOutcome::refused) {
            r.message += fmt::format("; ranking diff {:.3f} exceeds indexer.reindex_max_diff {:.3f} (retry with "
                                     "force=true to publish anyway)",
                                     summary->diff.mean_disagreement, summary->max_diff);
        }
        return r;
    };
    kinds["retag"] = [&ctx, &writer, &taxonomy_lock](const JobParams&, Progress& progress,
                                                     const std::atomic<bool>& cancel) -> Result<JobResult> {
        std::shared_lock taxonomy(taxonomy_lock);
        RetagJobOptions options;
        options.exclusive = exclusive_section(writer); // the writer rebuilds its pool after the reload
        auto summary = run_retag(ctx, options, progress, cancel);
        if (!summary) {
            return summary.error();
        }
        JobResult r;
        r.generation = summary->generation;
        r.outcome = job_outcome_name(summary->outcome);
        r.cancelled = summary->outcome == JobOutcome::cancelled;
        r.message = fmt::format("{}: {} documents classified, {} changed, {} caught up, in {} ({:.1f}s)", r.outcome,
                                summary->documents, summary->changed, summary->caught_up, summary->generation,
                                summary->seconds);
        return r;
    };
    kinds["compact"] = [&ctx, &writer](const JobParams&, Progress& progress,
                                       const std::atomic<bool>& cancel) -> Result<JobResult> {
        CompactJobOptions options;
        options.exclusive = exclusive_section(writer);
        auto summary = run_compact(ctx, options, progress, cancel);
        if (!summary) {
            return summary.error();
        }
        JobResult r;
        r.generation = summary->generation;
        r.outcome = job_outcome_name(summary->outcome);
        r.cancelled = summary->outcome == JobOutcome::cancelled;
        r.message = fmt::format("{}: {} documents in {}, {} -> {} bytes ({:.1f}s)", r.outcome, summary->documents,
                                summary->generation, summary->bytes_before, summary->bytes_after, summary->seconds);
        return r;
    };
    kinds["verify"] = [&ctx](const JobParams& params, Progress& progress,
                             const std::atomic<bool>&) -> Result<JobResult> {
        const auto it = params.find("generation");
        auto report = run_verify(ctx.data_dir(), ctx.archive(), it == params.end() ? std::string() : it->second);
        if (!report) {
            return report.error();
        }
        progress.set_total(report->documents);
        progress.advance(report->documents, report->missing_count + report->extra_count + report->duplicate_count);
        JobResult r;
        r.generation = report->generation;
        r.outcome = report->ok() ? "ok" : "problems";
        r.failed = !report->ok();
        r.message = fmt::format("{} documents, {} archive ids, {} missing, {} extra, {} duplicated", report->documents,
                                report->archive_ids, report->missing_count, report->extra_count,
                                report->duplicate_count);
        for (const auto& p : report->problems) {
            r.message += "; " + p;
        }
        return r;
    };
    return kinds;
}

} // namespace gazette::indexer::serve
