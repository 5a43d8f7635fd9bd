#pragma once
/// A replica data directory that follows a primary with Xapian replication.
///
/// Each round: ask the primary which generation is live (admin API, GET /generations), pull
/// that generation with `xapian-replicate --one-shot` into REPLICA/generations/<name>, check it
/// opens, and only then point REPLICA/live.stub at it (atomic rename). searchd on the replica is
/// unchanged: it follows live.stub as on any data directory, so it switches only to a fully
/// replicated generation and never serves a mix of two. Rollbacks are activations like any
/// other: the older generation is pulled when missing (it usually is not: every retained
/// generation is mirrored) and published. Generations the primary no longer retains are
/// deleted, except the one the replica serves.
///
/// The replica's generations are Xapian replica folders (a `XAPIANDB` stub naming replica_1 or
/// replica_2), so live.stub says `auto generations/<name>`, which Xapian (xapian-delve, quest)
/// still opens.

#include "common/data_dir.hpp"
#include "common/error.hpp"
#include "indexer/replica/primary_client.hpp"
#include "indexer/replica/replicate_tool.hpp"

#include <string>
#include <vector>

namespace gazette::indexer::replica {

/// What one round did (for logs and tests).
struct RoundReport {
    std::string primary_live; ///< the primary's live generation ("" = none yet)
    std::string published;    ///< set when the replica's live pointer moved (or was refreshed)
    std::vector<std::string> replicated; ///< generations pulled this round (the live one first)
    std::vector<std::string> removed; ///< generations deleted (no longer retained by the primary)
};

class Follower {
  public:
    /// `data_dir` is the replica's: nothing else may write to it (command_follow holds its LOCK).
    Follower(DataDir data_dir, PrimaryEndpoint primary, ReplicateSettings replicate);

    /// One round as described above. Errors (primary unreachable, replication failed, the pulled
    /// generation does not open) leave the replica's live pointer untouched.
    [[nodiscard]] Result<RoundReport> sync_once();

    const DataDir& data_dir() const noexcept { return data_dir_; }

  private:
    Result<void> pull(const std::string& gen);
    void publish(const std::string& gen, bool force_refresh);

    DataDir data_dir_;
    PrimaryEndpoint primary_;
    ReplicateSettings replicate_;
};

/// The replica stub naming `gen`; `alternate` picks the equivalent "./" spelling, written to
/// make searchd reopen the same generation after xapian-replicate switched it to a full copy.
std::string replica_stub_contents(const std::string& gen, bool alternate);

} // namespace gazette::indexer::replica
