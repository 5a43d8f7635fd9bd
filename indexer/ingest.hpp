#pragma once
/// The shared ingest path of `index`, `serve` and `reindex`: archive records first (durable,
/// the source of truth), then build documents in parallel and apply them in order.

#include "indexer/archive.hpp"
#include "indexer/parallel_builder.hpp"
#include "indexer/progress.hpp"
#include "indexer/writer.hpp"
#include "indexer/writer_context.hpp"

#include <string>
#include <vector>

namespace gazette::indexer {

/// Builds the documents of the upserts in `records` on the pool and applies every record to
/// `writer` in order (replace or delete). Does not commit. Articles are updated in place
/// (lang, topics).
void index_records(IndexWriter& writer, ParallelBuilder& pool, std::vector<ArchiveRecord>& records);

/// The two halves of index_records, for callers that overlap the writer with the analysis of
/// the next batch. build_documents returns one document per upsert, in order.
std::vector<Xapian::Document> build_documents(ParallelBuilder& pool, std::vector<ArchiveRecord>& records);
void apply_records(IndexWriter& writer, const std::vector<ArchiveRecord>& records,
                   const std::vector<Xapian::Document>& docs);

/// Name of the live generation, creating and publishing an empty g000001 when there is none.
std::string ensure_live_generation(WriterContext& ctx);

/// Applies archive records newer than what `writer` has committed (crash recovery, and after
/// a rollback). Commits every `batch` records. Returns the number of records replayed.
std::size_t replay_archive(WriterContext& ctx, IndexWriter& writer, ParallelBuilder& pool, std::size_t batch,
                           Progress* progress);

} // namespace gazette::indexer
