#pragma once
/// Deep-paging cursors: opaque strings that pin the generation and say where the previous
/// page ended, so that pages never repeat or skip while that generation is served.
///
/// Relevance order continues after the last hit: searchd ranks a margin around the expected
/// position and starts after that docid, so commits to the live generation between pages
/// (articles added above, or removed) neither repeat nor skip hits; when the last hit moved
/// further than the margin it continues by position. Date orders continue after the last
/// hit's (date, docid) key, which needs no offset at all however deep the page is.

#include "common/error.hpp"
#include "searchd/search/types.hpp"

#include <xapian.h>

#include <cstdint>
#include <string>

namespace gazette::searchd {

struct Cursor {
    std::string generation;
    SortOrder sort = SortOrder::relevance;
    std::uint64_t offset = 0;    ///< relevance: where the next page starts
    std::string last_date;       ///< date orders: value of the last hit's date slot
    std::uint32_t last_docid = 0;///< the last hit's docid (date orders: tie-break; relevance: anchor)
};

/// Encodes a cursor as a URL-safe opaque string.
std::string encode_cursor(const Cursor& cursor);
/// Decodes what encode_cursor wrote; bad_request for anything else.
[[nodiscard]] Result<Cursor> decode_cursor(std::string_view text);

/// Accepts only documents after a (date, docid) key in a date sort order: how date-sorted
/// cursors and exports continue exactly where the previous page ended (ties on the date are
/// ordered by docid ascending).
class AfterKeyDecider : public Xapian::MatchDecider {
public:
    AfterKeyDecider(std::string date, Xapian::docid docid, bool descending)
        : date_(std::move(date)), docid_(docid), descending_(descending) {}

    bool operator()(const Xapian::Document& doc) const override;

private:
    std::string date_;
    Xapian::docid docid_;
    bool descending_;
};

} // namespace gazette::searchd
