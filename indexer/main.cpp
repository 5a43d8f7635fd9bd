// gazette-indexer: the one writer. Thin CLI over gazette::indexer; see indexer/README.md.

#include "common/config.hpp"
#include "common/logging.hpp"
#include "indexer/commands.hpp"
#include "indexer/replica/follow_command.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <exception>

int main(int argc, char** argv) {
    using namespace gazette;
    CLI::App app{"gazette-indexer: builds and maintains Gazette's Xapian index generations"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("gazette-indexer ") + GAZETTE_VERSION);

    indexer::CommonOptions common;
    auto add_common = [&common](CLI::App* sub) {
        sub->add_option("--data-dir", common.data_dir, "data directory (overrides data_dir in the config)");
        sub->add_option("--config", common.config_path, "TOML config file");
        sub->add_option("--log-level", common.log_level, "trace|debug|info|warn|error");
        sub->add_flag("--print-config", common.print_config, "print the effective config and exit");
    };

    std::vector<std::string> paths;
    auto* index = app.add_subcommand("index", "index files or folders into the live generation");
    add_common(index);
    index->add_option("paths", paths, "files or folders (.jsonl .ndjson .json .html .htm .txt .md)")->required();
    bool bulk = false;
    bool no_bulk = false;
    auto* bulk_flag = index->add_flag("--bulk", bulk,
                                      "archive everything, then build a new generation with parallel shards "
                                      "(default when the data dir has no live generation and the input has "
                                      "20,000+ articles)");
    index->add_flag("--no-bulk", no_bulk, "always add to the live generation through the single writer")
        ->excludes(bulk_flag);

    indexer::ReindexOptions reindex_opts;
    auto* reindex = app.add_subcommand("reindex", "build a new generation from the archive, verify, swap in");
    add_common(reindex);
    reindex->add_flag("--force", reindex_opts.force, "swap even when the ranking diff exceeds the bound");
    reindex->add_flag("--no-swap", reindex_opts.no_swap, "build and verify but leave the live generation");
    reindex->add_flag("--skip-space-check", reindex_opts.skip_space_check,
                      "start even when the disk seems too small for the build (about 2.2x the live generation)");

    auto* retag = app.add_subcommand("retag", "re-apply topics.toml to the archive without re-tokenising");
    add_common(retag);

    auto* serve = app.add_subcommand("serve", "daemon: inbox watching and admin HTTP API");
    add_common(serve);
    indexer::ServeOptions serve_opts;
    serve->add_option("--admin-listen", serve_opts.admin_listen, "HOST:PORT of the admin API (port 0 = any)");
    serve->add_option("--ready-file", serve_opts.ready_file, "write the bound admin port here once ready");

    indexer::FollowOptions follow_opts;
    auto* follow = app.add_subcommand("follow", "keep this data directory a replica of a primary (Xapian replication)");
    add_common(follow);
    follow->add_option("--primary", follow_opts.primary, "the primary's admin API, http://HOST:PORT")->required();
    follow->add_option("--replicate-from", follow_opts.replicate_from, "the primary's xapian-replicate-server, HOST:PORT")
        ->required();
    follow->add_option("--primary-key-file", follow_opts.primary_key_file,
                       "file with an admin key of the primary (default: $GAZETTE_PRIMARY_KEY)");
    follow->add_option("--interval-ms", follow_opts.interval_ms, "pause between rounds (default 1000)");
    follow->add_option("--replicate-bin", follow_opts.replicate_bin, "xapian-replicate binary");
    follow->add_option("--reader-time", follow_opts.reader_time_s,
                       "seconds between two changesets of one round, so searchd's readers finish (default 1)");
    follow->add_flag("--once", follow_opts.once, "one round, then exit");

    auto* status = app.add_subcommand("status", "live generation, counts, archive size");
    add_common(status);
    auto* generations = app.add_subcommand("generations", "list generations");
    add_common(generations);
    std::string rollback_gen;
    auto* rollback = app.add_subcommand("rollback", "make an older retained generation live");
    add_common(rollback);
    rollback->add_option("generation", rollback_gen, "generation (default: the one before the live one)");
    auto* compact = app.add_subcommand("compact", "compact the live generation into a new one (xapian-compact)");
    add_common(compact);
    auto* verify = app.add_subcommand("verify", "check the live generation against the archive");
    add_common(verify);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 2;
    }

    auto config = indexer::load_effective_config(common);
    if (!config) {
        std::fprintf(stderr, "gazette-indexer: %s\n", config.error().message.c_str());
        return 2;
    }
    if (common.print_config) {
        std::fputs(config_to_toml(*config).c_str(), stdout);
        return 0;
    }
    init_logging(config->log_level);
    if (config->indexer.replication_changesets > 0) {
        // Xapian reads this when a WritableDatabase is opened: set before any is. An explicit
        // XAPIAN_MAX_CHANGESETS in the environment wins.
        ::setenv("XAPIAN_MAX_CHANGESETS", std::to_string(config->indexer.replication_changesets).c_str(), 0);
    }
    try {
        if (*index) {
            return indexer::command_index(*config, paths,
                                          bulk      ? indexer::BulkMode::always
                                          : no_bulk ? indexer::BulkMode::never
                                                    : indexer::BulkMode::automatic);
        }
        if (*reindex) {
            return indexer::command_reindex(*config, reindex_opts);
        }
        if (*retag) {
            return indexer::command_retag(*config);
        }
        if (*serve) {
            return indexer::command_serve(*config, serve_opts);
        }
        if (*follow) {
            return indexer::command_follow(*config, follow_opts);
        }
        if (*status) {
            return indexer::command_status(*config);
        }
        if (*generations) {
            return indexer::command_generations(*config);
        }
        if (*rollback) {
            return indexer::command_rollback(*config, rollback_gen);
        }
        if (*compact) {
            return indexer::command_compact(*config);
        }
        if (*verify) {
            return indexer::command_verify(*config);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "gazette-indexer: fatal: %s\n", e.what());
        return 1;
    }
    return 2;
}
