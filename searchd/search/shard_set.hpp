#pragma once
/// Sharding support: a generation may be a Xapian stub database listing several shards served
/// by `xapian-tcpsrv` ("remote HOST:PORT" lines), which Xapian opens as one combined Database.
///
/// Xapian refuses some single-database calls on a combined Database (get_revision() needs
/// exactly one subdatabase); the helpers here give searchd an equivalent that works on both.

#include <xapian.h>

#include <cstdint>

namespace gazette::searchd {

/// A number that changes whenever the database's content changes, for cache keys: the real
/// revision for one local database; for several shards or a remote one (which have no common
/// revision) a fingerprint of document count, last docid and total length, which every commit of a
/// shard moves in practice (an in-place replace of a document by one of the same length is the
/// blind spot: caches keyed on it are then stale until the next change).
Xapian::rev database_revision(const Xapian::Database& db);

/// Whether `db` combines several shards (remote or local).
inline bool is_sharded(const Xapian::Database& db) noexcept {
    return db.size() > 1;
}

/// enquire.get_mset(0, 0, check_at_least) with `spy` seeing every match. On one database the
/// spy is attached as usual. On shards (or one remote database) it cannot be (the remote backend
/// only runs MatchSpy subclasses it can serialise, and searchd's are not), so every match up to
/// check_at_least is fetched and fed to the spy here: exact, but a document fetch per match, so
/// slower.
Xapian::MSet get_mset_with_spy(Xapian::Enquire& enquire,
                               Xapian::MatchSpy& spy,
                               Xapian::doccount check_at_least,
                               const Xapian::Database& db);

} // namespace gazette::searchd
