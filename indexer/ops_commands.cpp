// reindex, retag, compact and verify on the command line: open the writer context, run the
// job with a progress bar on stderr, print the summary. Ctrl-C cancels a running job cleanly
// (the live generation is untouched).

#include "indexer/commands.hpp"
#include "indexer/jobs/compact_job.hpp"
#include "indexer/jobs/reindex_job.hpp"
#include "indexer/jobs/retag_job.hpp"
#include "indexer/jobs/verify_job.hpp"
#include "indexer/writer_context.hpp"

#include <xapian.h>

#include <fmt/format.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <exception>
#include <string>

namespace gazette::indexer {

namespace {

std::atomic<bool> g_cancel{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the signal handler needs a lock-free flag");

extern "C" void on_interrupt(int) { g_cancel.store(true); }

/// Routes SIGINT/SIGTERM to the cancellation flag while a job runs, then restores them.
class CancelOnSignal {
public:
    CancelOnSignal() {
        g_cancel.store(false);
        struct sigaction sa = {};
        sa.sa_handler = on_interrupt;
        sigemptyset(&sa.sa_mask);
        ::sigaction(SIGINT, &sa, &old_int_);
        ::sigaction(SIGTERM, &sa, &old_term_);
    }
    ~CancelOnSignal() {
        ::sigaction(SIGINT, &old_int_, nullptr);
        ::sigaction(SIGTERM, &old_term_, nullptr);
    }
    CancelOnSignal(const CancelOnSignal&) = delete;
    CancelOnSignal& operator=(const CancelOnSignal&) = delete;
    const std::atomic<bool>& flag() const noexcept { return g_cancel; }

private:
    struct sigaction old_int_ = {};
    struct sigaction old_term_ = {};
};

int fail(const std::string& message) {
    std::fprintf(stderr, "gazette-indexer: %s\n", message.c_str());
    return 1;
}

std::string joined(const std::vector<std::string>& names) {
    return names.empty() ? std::string("none") : fmt::format("{}", fmt::join(names, " "));
}

/// Runs `job` converting environment failures into one clear line and exit code 1.
template <class Fn>
int guarded(const char* what, Fn&& job) {
    try {
        return job();
    } catch (const Xapian::Error& e) {
        return fail(fmt::format("{} failed: {}", what, e.get_description()));
    } catch (const std::exception& e) {
        return fail(fmt::format("{} failed: {}", what, e.what()));
    }
}

void print_diff(const RankingDiff& diff) {
    for (const auto& q : diff.queries) {
        if (!q.error.empty()) {
            std::printf("  %-24s  (skipped: %s)\n", q.query.c_str(), q.error.c_str());
            continue;
        }
        std::printf("  %-24s  overlap %.2f  live %zu  new %zu  gained %zu  lost %zu\n", q.query.c_str(), q.overlap,
                    q.live_top.size(), q.candidate_top.size(), q.gained.size(), q.lost.size());
    }
}

} // namespace

int command_reindex(const Config& config, const ReindexOptions& options) {
    auto ctx = WriterContext::open(config);
    if (!ctx) {
        return fail(ctx.error().message);
    }
    return guarded("reindex", [&] {
        CancelOnSignal signals;
        Progress progress("reindex", 0, stderr);
        ReindexJobOptions job;
        job.force = options.force;
        job.no_swap = options.no_swap;
        job.check_space = !options.skip_space_check;
        auto result = run_reindex(**ctx, job, progress, signals.flag());
        progress.finish();
        if (!result) {
            return fail(result.error().message);
        }
        const auto& s = *result;
        if (s.outcome == JobOutcome::cancelled) {
            return fail("reindex cancelled; the live generation is unchanged");
        }
        if (!s.diff_skipped) {
            std::printf("ranking diff against %s (top 10 per sample query):\n", s.previous.c_str());
            print_diff(s.diff);
        }
        const std::string diff = s.diff_skipped ? std::string("not compared (no live documents)")
                                                : fmt::format("{:.2f} (max {:.2f})", s.diff.mean_disagreement, s.max_diff);
        std::printf("reindex %s: %s, %zu articles in %.1f s (%.0f articles/s; build %.1f s on %zu shards, merge "
                    "%.1f s), %zu caught up, ranking diff %s\n",
                    job_outcome_name(s.outcome), s.generation.c_str(), s.documents, s.seconds, s.rate(),
                    s.build_seconds, s.shards, s.merge_seconds, s.caught_up, diff.c_str());
        switch (s.outcome) {
        case JobOutcome::published:
            std::printf("live generation is now %s (was %s); deleted: %s\n", s.generation.c_str(),
                        s.previous.empty() ? "none" : s.previous.c_str(), joined(s.deleted_generations).c_str());
            return 0;
        case JobOutcome::built:
            std::printf("not published (--no-swap); activate it with 'gazette-indexer rollback %s'\n",
                        s.generation.c_str());
            return 0;
        case JobOutcome::refused:
            return fail(fmt::format("refused to publish {}: mean top-10 disagreement {:.2f} exceeds "
                                    "indexer.reindex_max_diff {:.2f}; inspect it, then 'rollback {}' or rerun "
                                    "with --force",
                                    s.generation, s.diff.mean_disagreement, s.max_diff, s.generation));
        case JobOutcome::cancelled:
            break;
        }
        return 1;
    });
}

int command_retag(const Config& config) {
    auto ctx = WriterContext::open(config);
    if (!ctx) {
        return fail(ctx.error().message);
    }
    return guarded("retag", [&] {
        CancelOnSignal signals;
        Progress progress("retag", 0, stderr);
        auto result = run_retag(**ctx, RetagJobOptions{}, progress, signals.flag());
        progress.finish();
        if (!result) {
            return fail(result.error().message);
        }
        const auto& s = *result;
        if (s.outcome == JobOutcome::cancelled) {
            return fail("retag cancelled; the live generation is unchanged");
        }
        std::printf("retag published %s (was %s): %zu articles classified, %zu changed, %zu unreadable, %zu caught "
                    "up, in %.1f s (%.0f articles/s); deleted: %s\n",
                    s.generation.c_str(), s.previous.c_str(), s.documents, s.changed, s.unreadable, s.caught_up,
                    s.seconds, s.rate(), joined(s.deleted_generations).c_str());
        return 0;
    });
}

int command_compact(const Config& config) {
    auto ctx = WriterContext::open(config);
    if (!ctx) {
        return fail(ctx.error().message);
    }
    return guarded("compact", [&] {
        CancelOnSignal signals;
        Progress progress("compact", 0, stderr);
        auto result = run_compact(**ctx, CompactJobOptions{}, progress, signals.flag());
        progress.finish();
        if (!result) {
            return fail(result.error().message);
        }
        const auto& s = *result;
        if (s.outcome == JobOutcome::cancelled) {
            return fail("compact cancelled; the live generation is unchanged");
        }
        std::printf("compact published %s (was %s): %zu articles, %llu -> %llu bytes in %.1f s; deleted: %s\n",
                    s.generation.c_str(), s.previous.c_str(), s.documents,
                    static_cast<unsigned long long>(s.bytes_before), static_cast<unsigned long long>(s.bytes_after),
                    s.seconds, joined(s.deleted_generations).c_str());
        return 0;
    });
}

int command_verify(const Config& config) {
    // The writer lock: reading the archive must not race its torn-tail repair by a writer.
    auto ctx = WriterContext::open(config);
    if (!ctx) {
        return fail(ctx.error().message);
    }
    return guarded("verify", [&] {
        auto result = run_verify((*ctx)->data_dir(), (*ctx)->archive());
        if (!result) {
            return fail(result.error().message);
        }
        const auto& r = *result;
        std::printf("generation     %s\n", r.generation.c_str());
        std::printf("schema         %s\n", r.schema_version.empty() ? "(missing)" : r.schema_version.c_str());
        std::printf("documents      %zu\n", r.documents);
        std::printf("archive ids    %zu (up to seq %llu; archive at %llu)\n", r.archive_ids,
                    static_cast<unsigned long long>(r.index_seq), static_cast<unsigned long long>(r.archive_seq));
        std::printf("missing        %zu%s%s\n", r.missing_count, r.missing.empty() ? "" : "  e.g. ",
                    fmt::format("{}", fmt::join(r.missing, " ")).c_str());
        std::printf("extra          %zu%s%s\n", r.extra_count, r.extra.empty() ? "" : "  e.g. ",
                    fmt::format("{}", fmt::join(r.extra, " ")).c_str());
        std::printf("duplicates     %zu\n", r.duplicate_count);
        if (r.ok()) {
            std::printf("verify: OK\n");
            return 0;
        }
        for (const auto& p : r.problems) {
            std::fprintf(stderr, "verify: %s\n", p.c_str());
        }
        std::fprintf(stderr, "verify: FAILED (%zu problems); 'gazette-indexer reindex' rebuilds from the archive\n",
                     r.problems.size());
        return 1;
    });
}

} // namespace gazette::indexer
