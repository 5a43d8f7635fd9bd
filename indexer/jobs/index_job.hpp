#pragma once
/// `gazette-indexer index PATH...`: read files and folders, archive and index every valid
/// article into the live generation, dead-letter the rest.

#include "indexer/writer_context.hpp"

#include <cstdio>
#include <filesystem>
#include <vector>

namespace gazette::indexer {

struct IndexSummary {
    std::size_t files = 0;
    std::size_t indexed = 0;
    std::size_t rejected = 0;
    std::size_t replayed = 0;
    std::uint64_t bytes = 0;
    double seconds = 0;
    std::string generation;
};

/// Runs the batch. Per-article problems are counted and dead-lettered, never thrown.
/// Throws on environment failures (disk, Xapian).
IndexSummary run_index(WriterContext& ctx, const std::vector<std::filesystem::path>& paths, std::FILE* progress_out);

} // namespace gazette::indexer
