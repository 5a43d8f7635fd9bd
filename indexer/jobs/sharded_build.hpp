#pragma once
/// Builds one Xapian database from a stream of articles as fast as the machine allows:
/// K shard builders run in parallel, each with its own TermGenerator, fed round-robin by the
/// calling thread through bounded queues. The build is log-structured: each builder writes a
/// series of independent "runs" (small databases of a bounded size, each written by one flush
/// into an empty database, so no run ever merges into a bigger B-tree), and all runs of all
/// shards are merged once at the end by a single multi-way Xapian::Database::compact.
/// Runs are scratch (no fsync, in-place updates): the result is not live until the caller
/// installs it, and a failed build is discarded.
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
    /// A run is flushed and a new one started after this many documents or this many bytes of
    /// article text (title, headings, body), whichever comes first. Small runs are cheaper per
    /// document: Xapian buffers a run's postings in std::maps keyed by term and docid, whose
    /// lookups get slower (deeper, out of cache) as the run grows; a 10k-document buffer cost
    /// about 1.6x the CPU per document of a 1k-document one. But every run adds its own
    /// postlist chunk per term to the merged database (compaction copies chunks, it does not
    /// join them): 1 MB runs made the 100k bench index 12% bigger than 8 MB runs. 4 MB is the
    /// compromise measured in bench/reindex/README.md. The merge keeps ~5 files open per run.
    std::size_t run_documents = 5000;
    std::size_t run_text_bytes = 4u << 20;
};

struct ShardedBuildStats {
    std::size_t documents = 0; ///< in the merged database
    std::size_t shards = 0;
    std::size_t runs = 0;      ///< databases merged by the final compact
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
