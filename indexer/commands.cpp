#include "indexer/commands.hpp"

#include "common/logging.hpp"
#include "indexer/jobs/index_job.hpp"
#include "indexer/writer_context.hpp"

#include <fmt/format.h>

#include <cstdio>

namespace gazette::indexer {

Result<Config> load_effective_config(const CommonOptions& options) {
    auto config = load_config(options.config_path);
    if (!config) {
        return config.error();
    }
    if (!options.data_dir.empty()) {
        config->data_dir = options.data_dir;
    }
    if (!options.log_level.empty()) {
        config->log_level = options.log_level;
    }
    if (auto r = validate_config(*config); !r) {
        return r.error();
    }
    return config;
}

int command_index(const Config& config, const std::vector<std::string>& paths, BulkMode bulk) {
    auto ctx = WriterContext::open(config);
    if (!ctx) {
        std::fprintf(stderr, "gazette-indexer: %s\n", ctx.error().message.c_str());
        return 1;
    }
    std::vector<std::filesystem::path> inputs(paths.begin(), paths.end());
    const auto s = run_index(**ctx, inputs, stderr, bulk);
    const double rate = s.seconds > 0 ? static_cast<double>(s.indexed) / s.seconds : 0;
    std::printf("indexed %zu articles from %zu files into %s in %.1fs (%.0f articles/s, %.1f MB/s)\n", s.indexed,
                s.files, s.generation.c_str(), s.seconds, rate,
                s.seconds > 0 ? static_cast<double>(s.bytes) / 1e6 / s.seconds : 0.0);
    if (s.bulk) {
        std::printf("bulk import: archived first, then built with parallel shards and published\n");
    }
    if (s.replayed > 0) {
        std::printf("replayed %zu archived records that were not yet indexed\n", s.replayed);
    }
    if (s.rejected > 0) {
        std::printf("rejected %zu articles; one error file each in %s\n", s.rejected,
                    (*ctx)->dead_letter().dir().string().c_str());
    }
    return 0;
}

} // namespace gazette::indexer
