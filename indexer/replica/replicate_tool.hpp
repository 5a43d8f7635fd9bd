#pragma once
/// Runs Xapian's own replication client, `xapian-replicate --one-shot`, for one database.
///
/// The target folder becomes a Xapian replica: a directory holding a `XAPIANDB` stub that
/// points at `replica_1` or `replica_2`. Changesets are applied in place; a full copy is made in
/// the other folder and the stub is switched only once that copy is consistent, so opening the
/// target always yields a consistent revision.

#include "common/error.hpp"

#include <filesystem>
#include <string>

namespace gazette::indexer::replica {

struct ReplicateSettings {
    std::string binary = "xapian-replicate"; ///< looked up in PATH unless it contains '/'
    std::string host;                        ///< where xapian-replicate-server listens
    std::string port;
    unsigned reader_time_s = 1; ///< -r: pause between changesets so readers can finish
    unsigned timeout_s = 60;    ///< -t: socket timeout
    bool quiet = true;          ///< -q
};

/// `xapian-replicate -o -h HOST -p PORT -m MASTER TARGET`; blocks until it exits. Fails
/// (unavailable as not_ready, else internal) when the tool cannot start or exits non-zero.
[[nodiscard]] Result<void> replicate_once(const ReplicateSettings& settings,
                                          const std::string& master,
                                          const std::filesystem::path& target);

} // namespace gazette::indexer::replica
