#pragma once
/// The indexer's subcommands, each returning the process exit code (0 success, 1 failure,
/// 2 usage). Output for humans goes to stdout/stderr here and only here: library code never
/// prints.

#include "common/config.hpp"
#include "indexer/jobs/index_job.hpp"

#include <string>
#include <vector>

namespace gazette::indexer {

struct CommonOptions {
    std::string data_dir;
    std::string config_path;
    std::string log_level;
    bool print_config = false;
};

struct ReindexOptions {
    bool force = false;
    bool no_swap = false;
    bool skip_space_check = false; ///< see indexer/jobs/disk_space.hpp
};

struct ServeOptions {
    std::string admin_listen;
    std::string ready_file;
};

/// Config file, then environment, then flags; then validation.
[[nodiscard]] Result<Config> load_effective_config(const CommonOptions& options);

int command_index(const Config& config, const std::vector<std::string>& paths, BulkMode bulk);
int command_reindex(const Config& config, const ReindexOptions& options);
int command_retag(const Config& config);
int command_serve(const Config& config, const ServeOptions& options);
int command_status(const Config& config);
int command_generations(const Config& config);
int command_rollback(const Config& config, const std::string& generation);
int command_compact(const Config& config);
int command_verify(const Config& config);

} // namespace gazette::indexer
