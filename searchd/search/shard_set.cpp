#include "searchd/search/shard_set.hpp"

namespace gazette::searchd {

Xapian::rev database_revision(const Xapian::Database& db) {
    if (!is_sharded(db)) {
        try {
            return db.get_revision();
        } catch (const Xapian::UnimplementedError&) {
            // One remote shard: the remote backend has no revision either.
        }
    }
    // FNV-1a over the three counters; the top bit marks fingerprints so that they do not
    // collide with small real revisions in logs.
    std::uint64_t h = 1469598103934665603ULL;
    for (const std::uint64_t v : {std::uint64_t{db.get_doccount()},
                                  std::uint64_t{db.get_lastdocid()},
                                  static_cast<std::uint64_t>(db.get_total_length())}) {
        h = (h ^ v) * 1099511628211ULL;
    }
    return static_cast<Xapian::rev>(h | (std::uint64_t{1} << 63));
}

Xapian::MSet get_mset_with_spy(Xapian::Enquire& enquire,
                               Xapian::MatchSpy& spy,
                               Xapian::doccount check_at_least,
                               const Xapian::Database& db) {
    if (!is_sharded(db)) {
        enquire.add_matchspy(&spy);
        try {
            Xapian::MSet m = enquire.get_mset(0, 0, check_at_least);
            enquire.clear_matchspies();
            return m;
        } catch (const Xapian::UnimplementedError&) {
            // One remote shard: refused before matching, so the spy has seen nothing yet.
            enquire.clear_matchspies();
        }
    }
    Xapian::MSet m = enquire.get_mset(0, check_at_least);
    for (auto it = m.begin(); it != m.end(); ++it) {
        spy(it.get_document(), it.get_weight());
    }
    return m;
}

} // namespace gazette::searchd
