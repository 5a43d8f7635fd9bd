#pragma once
/// `retag`: re-applies topics.toml to every document without re-tokenising the archive.
///
/// The live generation is copied into a new generation (under the writer lock, or inside the
/// caller's exclusive section), the reloaded classifier scores each stored document from its
/// terms, and only documents whose topics changed are rewritten (topic terms, topic value,
/// stored data). Then the new generation is published and retention applied.

#include "common/error.hpp"
#include "indexer/jobs/job_control.hpp"
#include "indexer/progress.hpp"
#include "indexer/writer_context.hpp"

#include <atomic>
#include <string>
#include <vector>

namespace gazette::indexer {

struct RetagJobOptions {
    /// Runs around the taxonomy reload and the file copy, and around the final catch-up and
    /// publish. serve must rebuild any ParallelBuilder it holds afterwards: reload replaces
    /// ctx.builder().
    ExclusiveSection exclusive;
};

struct RetagSummary {
    JobOutcome outcome = JobOutcome::published;
    std::string generation;       ///< the new generation
    std::string previous;         ///< the live generation it was copied from
    std::size_t documents = 0;    ///< documents classified
    std::size_t changed = 0;      ///< documents whose topics changed (rewritten)
    std::size_t unreadable = 0;   ///< documents whose stored data could not be decoded (kept as is)
    std::size_t caught_up = 0;    ///< archive records applied after the copy
    double seconds = 0;
    std::vector<std::string> deleted_generations;

    double rate() const noexcept { return seconds > 0 ? static_cast<double>(documents) / seconds : 0; }
};

/// Runs a retag. Errors: not_ready when there is no live generation; bad_config when
/// topics.toml does not load (the old taxonomy stays). Cancelled: partial generation removed,
/// live untouched. Throws Xapian::Error / std::filesystem_error on environment failures.
[[nodiscard]] Result<RetagSummary> run_retag(WriterContext& ctx, const RetagJobOptions& options, Progress& progress,
                                             const std::atomic<bool>& cancel);

/// True when two topic lists differ in ids, order, editor flags, or scores as stored (to
/// three decimals).
bool topics_differ(const std::vector<TopicScore>& a, const std::vector<TopicScore>& b);

} // namespace gazette::indexer
