#pragma once
/// Generation retention: after a publish, keep the newest `keep` generations plus the live one
/// (which may be older, after a rollback) and delete the rest.

#include "common/data_dir.hpp"

#include <string>
#include <vector>

namespace gazette::indexer {

/// Names of the generations retention would delete, oldest first. Never the live generation.
std::vector<std::string> generations_to_delete(const std::vector<std::string>& generations_oldest_first,
                                               const std::string& live, std::size_t keep);

/// Deletes the generations `generations_to_delete` names. Call while holding the writer lock.
/// Readers (searchd) that still have an old generation open keep working on its unlinked files
/// until they reopen. Returns the deleted names. Throws std::filesystem_error.
std::vector<std::string> apply_retention(const DataDir& dd, std::size_t keep);

} // namespace gazette::indexer
