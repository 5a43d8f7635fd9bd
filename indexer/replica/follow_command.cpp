#include "indexer/replica/follow_command.hpp"

#include "common/logging.hpp"
#include "indexer/replica/follower.hpp"

#include <fmt/format.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <thread>
#include <unistd.h>

namespace gazette::indexer {

namespace {

std::atomic<bool> g_stop{false};

extern "C" void on_stop_signal(int) {
    g_stop.store(true);
}

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) {
        s.pop_back();
    }
    return s;
}

} // namespace

int command_follow(const Config& config, const FollowOptions& options) {
    auto log = logger("index");
    auto primary = replica::parse_primary_url(options.primary);
    if (!primary) {
        std::fprintf(stderr, "gazette-indexer: --primary: %s\n", primary.error().message.c_str());
        return 2;
    }
    auto source = replica::parse_primary_url(options.replicate_from);
    if (!source) {
        std::fprintf(
            stderr, "gazette-indexer: --replicate-from: %s\n", source.error().message.c_str());
        return 2;
    }
    if (!options.primary_key_file.empty()) {
        try {
            primary->admin_key = trimmed(read_file(options.primary_key_file));
        } catch (const std::exception& e) {
            std::fprintf(stderr, "gazette-indexer: --primary-key-file: %s\n", e.what());
            return 2;
        }
    } else if (const char* key = std::getenv("GAZETTE_PRIMARY_KEY"); key != nullptr) {
        primary->admin_key = key;
    }

    DataDir data_dir(config.data_dir);
    std::filesystem::create_directories(data_dir.generations_dir());
    // The replica has exactly one writer, this process: an indexer started here by mistake
    // fails on the same LOCK instead of forking the replica from its primary.
    const int lock_fd = ::open(data_dir.lock_file().c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lock_fd < 0 || ::flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
        std::fprintf(stderr,
                     "gazette-indexer: %s is locked by another writer (%s)\n",
                     data_dir.root().c_str(),
                     std::strerror(errno));
        if (lock_fd >= 0) {
            ::close(lock_fd);
        }
        return 1;
    }

    replica::ReplicateSettings settings;
    settings.binary = options.replicate_bin;
    settings.host = source->host;
    settings.port = source->port;
    settings.reader_time_s = options.reader_time_s;
    replica::Follower follower(data_dir, *primary, settings);

    std::signal(SIGTERM, on_stop_signal);
    std::signal(SIGINT, on_stop_signal);
    log->info("following {}:{} (replication from {}:{}) into {}",
              primary->host,
              primary->port,
              source->host,
              source->port,
              data_dir.root().string());
    std::string last_error;
    int rc = 0;
    while (!g_stop.load()) {
        auto round = follower.sync_once();
        if (!round) {
            // Logged once per distinct failure: a primary down for an hour is one line, not 3600.
            if (round.error().message != last_error) {
                log->warn("replica: {}", round.error().message);
                last_error = round.error().message;
            }
            rc = 1;
        } else {
            if (!last_error.empty()) {
                log->info("replica: in sync again");
                last_error.clear();
            }
            rc = 0;
        }
        if (options.once) {
            break;
        }
        const auto until =
            std::chrono::steady_clock::now() + std::chrono::milliseconds(options.interval_ms);
        while (!g_stop.load() && std::chrono::steady_clock::now() < until) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
    ::close(lock_fd);
    return options.once ? rc : 0;
}

} // namespace gazette::indexer
