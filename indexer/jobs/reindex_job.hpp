#pragma once
/// `reindex`: a new generation built from the archive's latest state, verified against the
/// archive and the live generation's rankings, then published atomically.
///
/// Usable from the CLI and from serve's job thread. Never prints; progress goes to `progress`
/// (total = live ids in the archive, advanced per document built).

#include "common/error.hpp"
#include "indexer/jobs/disk_space.hpp"
#include "indexer/jobs/job_control.hpp"
#include "indexer/jobs/ranking_diff.hpp"
#include "indexer/jobs/sharded_build.hpp"
#include "indexer/progress.hpp"
#include "indexer/writer_context.hpp"

#include <atomic>
#include <string>
#include <vector>

namespace gazette::indexer {

struct ReindexJobOptions {
    bool force = false;         ///< publish even when the ranking diff exceeds the bound
    bool no_swap = false;       ///< build and verify, leave the live generation
    bool check_space = true;    ///< refuse at once when the disk cannot hold the build (disk_space.hpp)
    FreeSpaceProbe free_space = available_bytes; ///< tests replace it
    ExclusiveSection exclusive; ///< see job_control.hpp; empty in the CLI
    /// Shard build tuning (benchmarks, tests). `build.shards` 0 means indexer.threads.
    ShardedBuildOptions build{.shards = 0};
};

struct ReindexSummary {
    JobOutcome outcome = JobOutcome::published;
    std::string generation;          ///< the new generation (removed again when cancelled)
    std::string previous;            ///< live generation before the job, empty when none
    std::size_t documents = 0;       ///< in the new generation
    std::size_t archive_ids = 0;     ///< live ids in the archive (verified == documents)
    std::size_t caught_up = 0;       ///< archive records applied after the scan
    std::uint64_t archive_seq = 0;   ///< archive sequence number the generation reflects
    std::size_t shards = 0;
    std::size_t runs = 0;            ///< shard runs merged into the generation
    double build_seconds = 0;        ///< parallel analysis and shard writes
    double merge_seconds = 0;        ///< shard merge (compact)
    double seconds = 0;              ///< whole job
    bool diff_skipped = false;       ///< no live generation with documents to compare with
    RankingDiff diff;
    double max_diff = 0;             ///< the bound that applied (indexer.reindex_max_diff)
    std::vector<std::string> deleted_generations; ///< by retention after the publish

    /// Documents per second of the whole job.
    double rate() const noexcept { return seconds > 0 ? static_cast<double>(documents) / seconds : 0; }
};

/// Runs a reindex. Outcomes (in the summary): published, built (no_swap), refused (ranking
/// diff above indexer.reindex_max_diff without force; the generation is kept unpublished),
/// cancelled (`cancel` was set; the partial generation is removed, live is untouched).
/// Errors: internal when the new generation does not match the archive (it is removed).
/// Throws Xapian::Error / std::filesystem_error on environment failures, after removing the
/// partial generation.
[[nodiscard]] Result<ReindexSummary> run_reindex(WriterContext& ctx, const ReindexJobOptions& options,
                                                 Progress& progress, const std::atomic<bool>& cancel);

} // namespace gazette::indexer
