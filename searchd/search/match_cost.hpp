#pragma once
/// Whether a match is cheap enough to run without Xapian's time limit.
///
/// Enquire::set_time_limit arms a POSIX timer per match (timer_create, timer_settime,
/// timer_delete: three system calls, ~1% of a query on a small index). The budget exists for
/// matches that can run long: wildcards and edit-distance expansions of unknown size, or many
/// terms over a big index. A query made of plain terms visits at most `doccount` postings per
/// term, so when that product is small the match cannot come near a budget of seconds and the
/// timer is pure cost.

#include <xapian.h>

#include <cstdint>

namespace gazette::searchd {

/// Postings a match may visit, from the query's shape: doccount per leaf (phrase and NEAR
/// leaves count 4x for their position checks); UINT64_MAX when the shape has parts of unknown
/// cost (wildcards, edit distance, posting sources).
std::uint64_t posting_bound(const Xapian::Query& query, Xapian::doccount doccount);

/// Largest posting_bound run without a timer: well under a second even on a slow core.
inline constexpr std::uint64_t kUntimedPostings = 2'000'000;

/// True when the match of `query` over `doccount` documents needs no time limit.
inline bool match_is_bounded(const Xapian::Query& query, Xapian::doccount doccount) {
    return posting_bound(query, doccount) <= kUntimedPostings;
}

} // namespace gazette::searchd
