#include "indexer/jobs/disk_space.hpp"

#include <fmt/format.h>

#include <system_error>

namespace fs = std::filesystem;

namespace gazette::indexer {
namespace {

std::string gigabytes(std::uint64_t bytes) {
    return fmt::format("{:.1f} GB", static_cast<double>(bytes) / 1e9);
}

} // namespace

std::uint64_t available_bytes(const fs::path& path) {
    std::error_code ec;
    const fs::space_info info = fs::space(path, ec);
    return ec ? 0 : info.available;
}

std::uint64_t reindex_bytes_needed(std::uint64_t live_bytes) {
    // Runs ~1.05x and the merged copy ~1x the finished generation, which is about the live
    // one's size; 10% on top for growth since the last reindex.
    return live_bytes / 10 * 22;
}

std::uint64_t directory_bytes(const fs::path& dir) {
    std::uint64_t total = 0;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        std::error_code file_ec;
        if (it->is_regular_file(file_ec)) {
            const auto size = it->file_size(file_ec);
            total += file_ec ? 0 : size;
        }
    }
    return total;
}

Result<void> check_reindex_space(const fs::path& work_dir, std::uint64_t live_bytes, const FreeSpaceProbe& probe) {
    if (live_bytes == 0) {
        return {};
    }
    const std::uint64_t needed = reindex_bytes_needed(live_bytes);
    const std::uint64_t free = probe(work_dir);
    if (free >= needed) {
        return {};
    }
    return Error(ErrorCode::conflict,
                 fmt::format("reindex needs about {} free under {} (shard runs plus the merged copy of a "
                             "generation about the size of the live one, {}), but only {} is free; free some "
                             "space (older generations: gazette-indexer generations) or skip this check with "
                             "--skip-space-check",
                             gigabytes(needed), work_dir.string(), gigabytes(live_bytes), gigabytes(free)),
                 "disk");
}

} // namespace gazette::indexer
