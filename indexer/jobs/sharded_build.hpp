#pragma once
/// Builds one Xapian database from a stream of articles as fast as the machine allows:
/// K shard builders run in parallel, each with its own TermGenerator and its own
/// WritableDatabase (no fsync, rare commits), fed round-robin by the calling thread through
/// bounded queues; the shards are then merged with Xapian::Database::compact.
///
/// Docids of the result are not those of any earlier generation; that is fine because every
/// lookup and upsert goes through the unique Q<id> term.

#include "indexer/archive.hpp"
#include "indexer/document_builder.hpp"
#include "indexer/progress.hpp"

#include <atomic>
#include <filesystem>
#include <functional>

namespace gazette::indexer {

/// Feeds records to `sink` (called on the calling thread). Only upserts are indexed; every id
/// must appear at most once (as Archive::scan_latest guarantees), since shards add documents
/// without looking for an older version.
using RecordSource = std::function<void(const std::function<void(ArchiveRecord&&)>& sink)>;

struct ShardedBuildOptions {
    std::size_t shards = 2;              ///< parallel builders (>= 1)
    std::size_t queue_batches = 4;       ///< per-shard queue bound, in batches
    std::size_t batch_articles = 128;    ///< articles handed over at once
    std::size_t commit_every = 50000;    ///< documents per shard commit (memory vs speed)
};

struct ShardedBuildStats {
    std::size_t documents = 0; ///< in the merged database
    std::size_t shards = 0;
    double build_seconds = 0;
    double merge_seconds = 0;
};

/// Builds the database at `out` (must not exist) using `work_dir`/shard-N as scratch space
/// (removed on return). Advances `progress` once per document built. Checks `cancel` between
/// batches and throws JobCancelled when it is set.
/// Throws Xapian::Error and std::filesystem_error on environment failures; a failing shard
/// stops the others and its exception is rethrown here.
ShardedBuildStats build_sharded(const DocumentBuilder& builder, const RecordSource& source,
                                const std::filesystem::path& work_dir, const std::filesystem::path& out,
                                const ShardedBuildOptions& options, Progress& progress,
                                const std::atomic<bool>& cancel);

} // namespace gazette::indexer
