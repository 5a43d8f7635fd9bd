#pragma once
/// `compact`: rewrites the live generation into a new, compacted generation (as
/// xapian-compact does), then publishes it and applies retention. Searches are unaffected: the
/// swap is atomic and docids do not matter outside a generation.

#include "common/error.hpp"
#include "indexer/jobs/job_control.hpp"
#include "indexer/progress.hpp"
#include "indexer/writer_context.hpp"

#include <atomic>
#include <string>
#include <vector>

namespace gazette::indexer {

struct CompactJobOptions {
    /// Runs around the file copy of the live generation and around the final catch-up and
    /// publish.
    ExclusiveSection exclusive;
};

struct CompactSummary {
    JobOutcome outcome = JobOutcome::published;
    std::string generation;
    std::string previous;
    std::size_t documents = 0;
    std::uint64_t bytes_before = 0;
    std::uint64_t bytes_after = 0;
    std::size_t caught_up = 0;
    double seconds = 0;
    std::vector<std::string> deleted_generations;
};

/// Errors: not_ready when there is no live generation. Cancelled: partial files removed, live
/// untouched. Throws Xapian::Error / std::filesystem_error on environment failures.
[[nodiscard]] Result<CompactSummary> run_compact(WriterContext& ctx, const CompactJobOptions& options,
                                                 Progress& progress, const std::atomic<bool>& cancel);

/// Total size of the regular files directly inside `dir` (a glass database is flat).
std::uint64_t database_bytes(const std::filesystem::path& dir);

} // namespace gazette::indexer
