#pragma once
/// What every operations job (reindex, retag, compact) shares: how it is cancelled, how it
/// ends, and how it synchronises with a live writer running in the same process.
///
/// A job runs on one thread (the CLI's main thread, or a job thread of `serve`) and never
/// prints; the caller renders Progress and the summary.

#include <atomic>
#include <functional>
#include <stdexcept>
#include <string>

namespace gazette::indexer {

/// How a job ended (its Result holds an Error instead when it failed).
enum class JobOutcome {
    published, ///< the new generation is live
    built,     ///< built and verified, not published on request (--no-swap)
    refused,   ///< built, but the ranking diff exceeded indexer.reindex_max_diff (no --force)
    cancelled, ///< stopped on request; partial files removed, live generation untouched
};

/// "published", "built", "refused", "cancelled".
const char* job_outcome_name(JobOutcome outcome) noexcept;

/// Runs `critical` while no other writer of the live generation commits. `serve` passes a
/// function that pauses its writer thread (all acknowledged records committed) around the
/// call; the CLI passes nothing, because the WriterContext's LOCK already excludes every other
/// writer. Jobs keep the critical part short: the final catch-up of archived records, a file
/// copy, and the publish.
using ExclusiveSection = std::function<void(const std::function<void()>& critical)>;

/// Calls `critical` inside `section`, or directly when `section` is empty.
void run_exclusive(const ExclusiveSection& section, const std::function<void()>& critical);

/// Thrown inside a job when its cancellation flag is seen; caught at the job's boundary,
/// which cleans up and returns JobOutcome::cancelled. Never escapes a job function.
class JobCancelled : public std::runtime_error {
public:
    JobCancelled() : std::runtime_error("job cancelled") {}
};

/// Throws JobCancelled when `cancel` is set.
inline void throw_if_cancelled(const std::atomic<bool>& cancel) {
    if (cancel.load(std::memory_order_relaxed)) {
        throw JobCancelled();
    }
}

} // namespace gazette::indexer
