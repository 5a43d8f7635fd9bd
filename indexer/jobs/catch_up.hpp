#pragma once
/// Brings a not-yet-live generation up to date with the archive: applies every archived record
/// newer than its gazette.archive_seq, so articles ingested while a job ran are in the result.

#include "indexer/writer_context.hpp"

#include <filesystem>

namespace gazette::indexer {

/// Applies the records after the database's archive_seq (batched commits of
/// indexer.batch_size). Returns the number of records applied. Throws Xapian::Error.
std::size_t catch_up_generation(WriterContext& ctx, const std::filesystem::path& db_path);

} // namespace gazette::indexer
