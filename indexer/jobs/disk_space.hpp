#pragma once
/// Free-space check before a reindex.
///
/// A reindex writes its shard runs and then merges them into a new generation; the runs and
/// the merged copy sit on disk together, about twice the finished generation (measured at 1M
/// articles: ~21 GB of runs + a 20 GB generation). Running out of space fails the job only at
/// the merge, after most of its time (the partial generation is removed and the live one stays),
/// so the job first compares the space it will need, estimated from the live generation's size,
/// with what the file system has free, and refuses at once with both numbers when it falls short.

#include "common/error.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>

namespace gazette::indexer {

/// Free bytes on the file system holding `path` (std::filesystem::space().available).
using FreeSpaceProbe = std::function<std::uint64_t(const std::filesystem::path&)>;

/// The default probe: std::filesystem::space(path).available (0 when it cannot be read).
std::uint64_t available_bytes(const std::filesystem::path& path);

/// Bytes a reindex needs free when the live generation holds `live_bytes`: runs + merged copy.
std::uint64_t reindex_bytes_needed(std::uint64_t live_bytes);

/// Sum of the regular files under `dir` (0 when it does not exist).
std::uint64_t directory_bytes(const std::filesystem::path& dir);

/// Ok when `work_dir`'s file system has reindex_bytes_needed(live_bytes) free; otherwise a
/// `conflict` error naming the bytes needed and free. No live generation (live_bytes 0): ok,
/// there is nothing to estimate from.
Result<void> check_reindex_space(const std::filesystem::path& work_dir, std::uint64_t live_bytes,
                                 const FreeSpaceProbe& probe = available_bytes);

} // namespace gazette::indexer
