#include "indexer/replica/follower.hpp"

#include "common/logging.hpp"

#include <fmt/format.h>
#include <xapian.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace fs = std::filesystem;

namespace gazette::indexer::replica {

namespace {

/// The replica folder's own stub (which of replica_1/replica_2 is current); "" when absent.
std::string replica_pointer(const fs::path& gen_dir) {
    std::error_code ec;
    const auto stub = gen_dir / "XAPIANDB";
    if (!fs::exists(stub, ec)) {
        return {};
    }
    try {
        return read_file(stub);
    } catch (const std::exception&) {
        return {};
    }
}

/// Whether a pulled generation is usable: its replica stub exists and Xapian opens it.
Result<void> check_opens(const fs::path& gen_dir) {
    if (replica_pointer(gen_dir).empty()) {
        return Error(
            ErrorCode::not_ready,
            fmt::format("{} is not a complete replica yet (no XAPIANDB)", gen_dir.string()));
    }
    try {
        Xapian::Database db(gen_dir.string());
        (void)db.get_doccount();
    } catch (const Xapian::Error& e) {
        return Error(
            ErrorCode::not_ready,
            fmt::format("replica {} does not open: {}", gen_dir.string(), e.get_description()));
    }
    return {};
}

} // namespace

std::string replica_stub_contents(const std::string& gen, bool alternate) {
    return fmt::format("auto {}generations/{}\n", alternate ? "./" : "", gen);
}

Follower::Follower(DataDir data_dir, PrimaryEndpoint primary, ReplicateSettings replicate)
    : data_dir_(std::move(data_dir)), primary_(std::move(primary)),
      replicate_(std::move(replicate)) {}

Result<void> Follower::pull(const std::string& gen) {
    if (!generation_number(gen)) {
        // The name becomes a path on this machine: accept only what a generation looks like.
        return Error(ErrorCode::bad_request,
                     fmt::format("the primary reported a bad generation name '{}'", gen));
    }
    if (auto r = replicate_once(replicate_, gen, data_dir_.generation_path(gen)); !r) {
        return r.error();
    }
    return check_opens(data_dir_.generation_path(gen));
}

void Follower::publish(const std::string& gen, bool force_refresh) {
    std::string current;
    std::error_code ec;
    if (fs::exists(data_dir_.live_stub(), ec)) {
        current = read_file(data_dir_.live_stub());
    }
    std::string next = replica_stub_contents(gen, false);
    if (force_refresh && next == current) {
        next = replica_stub_contents(gen, true);
    }
    write_file_atomic(data_dir_.live_stub(), next);
}

Result<RoundReport> Follower::sync_once() {
    auto state = fetch_primary_state(primary_);
    if (!state) {
        return state.error();
    }
    RoundReport report;
    report.primary_live = state->live;
    if (state->live.empty()) {
        return report;
    }
    const std::string& live = state->live;
    const auto local_live = data_dir_.live_generation();

    // The live generation first: new commits on the primary, or the target of a swap/rollback.
    const std::string before = replica_pointer(data_dir_.generation_path(live));
    if (auto r = pull(live); !r) {
        return r.error();
    }
    report.replicated.push_back(live);
    const std::string after = replica_pointer(data_dir_.generation_path(live));
    // A full copy (the replica fell behind the primary's changesets) lands in the other
    // replica_N folder; searchd reopen()s the folder it has, so make it open the generation anew.
    const bool recopied = local_live && *local_live == live && !before.empty() && before != after;
    if (!local_live || *local_live != live || recopied) {
        publish(live, recopied);
        report.published = live;
        logger("index")->info(
            "replica: live generation is now {}{}", live, recopied ? " (full copy)" : "");
    }

    // Mirror the other retained generations once, so a rollback is a pointer move here too.
    for (const auto& gen : state->generations) {
        if (gen == live || !replica_pointer(data_dir_.generation_path(gen)).empty()) {
            continue;
        }
        if (auto r = pull(gen); !r) {
            logger("index")->warn(
                "replica: cannot mirror retained generation {}: {}", gen, r.error().message);
            continue;
        }
        report.replicated.push_back(gen);
    }

    // Drop what the primary no longer retains (never the generation this replica serves).
    for (const auto& gen : data_dir_.list_generations()) {
        if (gen == live || std::find(state->generations.begin(), state->generations.end(), gen) !=
                               state->generations.end()) {
            continue;
        }
        std::error_code ec;
        fs::remove_all(data_dir_.generation_path(gen), ec);
        if (ec) {
            logger("index")->warn("replica: cannot delete {}: {}", gen, ec.message());
            continue;
        }
        report.removed.push_back(gen);
    }
    return report;
}

} // namespace gazette::indexer::replica
