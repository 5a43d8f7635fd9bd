#pragma once
/// `gazette-indexer index PATH...`: read files and folders, archive and index every valid
/// article into the live generation, dead-letter the rest.

#include "indexer/writer_context.hpp"

#include <cstdio>
#include <filesystem>
#include <vector>

namespace gazette::indexer {

/// Whether `index` takes the bulk-import path: archive every article first, then build a new
/// generation from the archive with parallel shard builders and one compaction (the reindex
/// machinery), instead of adding batches to the live generation through the single writer.
enum class BulkMode {
    automatic, ///< bulk when there is no live generation yet and the input has >= kBulkImportMin articles
    always,
    never,
};

/// Below this many articles a fresh data dir is filled through the single writer: the shard
/// merge costs more than it saves on small inputs.
inline constexpr std::uint64_t kBulkImportMin = 20'000;

struct IndexSummary {
    std::size_t files = 0;
    std::size_t indexed = 0;
    std::size_t rejected = 0;
    std::size_t replayed = 0;
    std::uint64_t bytes = 0;
    double seconds = 0;
    std::string generation;
    bool bulk = false; ///< took the bulk-import path
};

/// Runs the batch. Per-article problems are counted and dead-lettered, never thrown.
/// Throws on environment failures (disk, Xapian).
/// In bulk mode the articles are durable in the archive before any indexing starts; if the
/// generation build then fails, the error is thrown and `gazette-indexer reindex` builds them
/// later (nothing acknowledged is lost).
IndexSummary run_index(WriterContext& ctx, const std::vector<std::filesystem::path>& paths, std::FILE* progress_out,
                       BulkMode bulk = BulkMode::automatic);

} // namespace gazette::indexer
