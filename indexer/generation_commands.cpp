// status, generations and rollback: read-mostly commands about generations.

#include "common/data_dir.hpp"
#include "common/schema.hpp"
#include "indexer/commands.hpp"
#include "indexer/jobs/disk_space.hpp"
#include "indexer/writer.hpp"
#include "indexer/writer_context.hpp"

#include <xapian.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

namespace fs = std::filesystem;

namespace gazette::indexer {

namespace {

struct GenerationInfo {
    std::string name;
    Xapian::doccount docs = 0;
    std::string created;
    std::string last_update;
    std::uint64_t archive_seq = 0;
    std::uint64_t bytes = 0;
    std::string error;
};

GenerationInfo describe(const DataDir& dd, const std::string& gen) {
    GenerationInfo info;
    info.name = gen;
    info.bytes = directory_bytes(dd.generation_path(gen));
    try {
        Xapian::Database db(dd.generation_path(gen).string());
        info.docs = db.get_doccount();
        info.created = db.get_metadata(std::string(schema::kMetaCreated));
        info.last_update = db.get_metadata(std::string(schema::kMetaLastUpdate));
        const auto seq = db.get_metadata(std::string(kMetaArchiveSeq));
        info.archive_seq = seq.empty() ? 0 : std::stoull(seq);
    } catch (const Xapian::Error& e) {
        info.error = e.get_description();
    }
    return info;
}

} // namespace

int command_status(const Config& config) {
    DataDir dd(config.data_dir);
    const auto live = dd.live_generation();
    std::printf("data_dir      %s\n", dd.root().string().c_str());
    std::printf("live          %s\n", live ? live->c_str() : "(none)");
    if (live) {
        const auto info = describe(dd, *live);
        std::printf("articles      %u\n", info.docs);
        std::printf("last_update   %s\n", info.last_update.c_str());
        std::printf("archive_seq   %llu (indexed)\n", static_cast<unsigned long long>(info.archive_seq));
        std::printf("index_bytes   %llu\n", static_cast<unsigned long long>(info.bytes));
    }
    std::printf("archive_bytes %llu\n", static_cast<unsigned long long>(directory_bytes(dd.archive_dir())));
    std::size_t dead = 0;
    std::error_code ec;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dd.deadletter_dir(), ec)) {
        ++dead;
    }
    std::printf("dead_letters  %zu\n", dead);
    std::printf("generations   %zu\n", dd.list_generations().size());
    return 0;
}

int command_generations(const Config& config) {
    DataDir dd(config.data_dir);
    const auto live = dd.live_generation();
    std::printf("%-4s %-10s %10s %12s %-22s %s\n", "", "generation", "articles", "bytes", "created", "last_update");
    for (const auto& gen : dd.list_generations()) {
        const auto info = describe(dd, gen);
        std::printf("%-4s %-10s %10u %12llu %-22s %s%s\n", live && *live == gen ? "*" : "", gen.c_str(), info.docs,
                    static_cast<unsigned long long>(info.bytes), info.created.c_str(), info.last_update.c_str(),
                    info.error.empty() ? "" : (" ERROR: " + info.error).c_str());
    }
    return 0;
}

int command_rollback(const Config& config, const std::string& generation) {
    // Holding the writer lock: a rollback must not race a writer that is committing.
    auto ctx = WriterContext::open(config);
    if (!ctx) {
        std::fprintf(stderr, "gazette-indexer: %s\n", ctx.error().message.c_str());
        return 1;
    }
    const DataDir& dd = (*ctx)->data_dir();
    const auto gens = dd.list_generations();
    const auto live = dd.live_generation();
    std::string target = generation;
    if (target.empty()) {
        // Default: the newest generation older than the live one.
        for (const auto& g : gens) {
            if (live && *generation_number(g) < *generation_number(*live)) {
                target = g;
            }
        }
        if (target.empty()) {
            std::fprintf(stderr, "gazette-indexer: no generation older than %s is retained\n",
                         live ? live->c_str() : "(none)");
            return 1;
        }
    }
    if (std::find(gens.begin(), gens.end(), target) == gens.end()) {
        std::fprintf(stderr, "gazette-indexer: generation '%s' does not exist (see 'gazette-indexer generations')\n",
                     target.c_str());
        return 1;
    }
    try {
        Xapian::Database check(dd.generation_path(target).string());
        (void)check.get_doccount();
    } catch (const Xapian::Error& e) {
        std::fprintf(stderr, "gazette-indexer: generation '%s' cannot be opened: %s\n", target.c_str(),
                     e.get_description().c_str());
        return 1;
    }
    dd.publish_live(target);
    std::printf("live generation is now %s (was %s)\n", target.c_str(), live ? live->c_str() : "(none)");
    return 0;
}

} // namespace gazette::indexer
