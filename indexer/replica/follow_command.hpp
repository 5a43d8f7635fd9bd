#pragma once
/// `gazette-indexer follow`: keeps this data directory a replica of a primary (see follower.hpp).

#include "common/config.hpp"

#include <string>

namespace gazette::indexer {

struct FollowOptions {
    std::string primary;        ///< the primary's admin API, "http://HOST:PORT"
    std::string replicate_from; ///< the primary's xapian-replicate-server, "HOST:PORT"
    std::string
        primary_key_file; ///< file holding an admin key of the primary (else $GAZETTE_PRIMARY_KEY)
    std::string replicate_bin = "xapian-replicate";
    unsigned interval_ms = 1000; ///< pause between rounds
    unsigned reader_time_s = 1;  ///< xapian-replicate --reader-time
    bool once = false;           ///< one round, then exit (0 when the replica is current)
};

/// Exit codes: 0 after SIGTERM/SIGINT (or a successful --once round), 1 on failure (another
/// process holds the replica's LOCK, --once round failed), 2 on bad options.
int command_follow(const Config& config, const FollowOptions& options);

} // namespace gazette::indexer
