#include "indexer/jobs/retention.hpp"

#include <algorithm>
#include <filesystem>

namespace gazette::indexer {

std::vector<std::string> generations_to_delete(const std::vector<std::string>& generations_oldest_first,
                                               const std::string& live, std::size_t keep) {
    std::vector<std::string> doomed;
    const std::size_t n = generations_oldest_first.size();
    // keep == 0 would delete a generation a reader may have just left; keep at least one.
    const std::size_t kept = std::max<std::size_t>(keep, 1);
    for (std::size_t i = 0; i + kept < n; ++i) {
        if (generations_oldest_first[i] != live) {
            doomed.push_back(generations_oldest_first[i]);
        }
    }
    return doomed;
}

std::vector<std::string> apply_retention(const DataDir& dd, std::size_t keep) {
    const auto live = dd.live_generation();
    auto doomed = generations_to_delete(dd.list_generations(), live.value_or(std::string()), keep);
    for (const auto& gen : doomed) {
        std::filesystem::remove_all(dd.generation_path(gen));
    }
    if (!doomed.empty()) {
        fsync_dir(dd.generations_dir());
    }
    return doomed;
}

} // namespace gazette::indexer
