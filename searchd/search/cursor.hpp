#pragma once
/// Deep-paging cursors: opaque strings that pin the generation and say where the previous
/// page ended, so that pages never repeat or skip while that generation is served.
///
/// Relevance order continues by position (scores are deterministic for a fixed
/// generation); date orders continue after the last hit's (date, docid) key, which needs no
/// offset at all however deep the page is.

#include "common/error.hpp"
#include "searchd/search/types.hpp"

#include <cstdint>
#include <string>

namespace gazette::searchd {

struct Cursor {
    std::string generation;
    SortOrder sort = SortOrder::relevance;
    std::uint64_t offset = 0;    ///< relevance: where the next page starts
    std::string last_date;       ///< date orders: value of the last hit's date slot
    std::uint32_t last_docid = 0;///< date orders: the last hit's docid (tie-break)
};

/// Encodes a cursor as a URL-safe opaque string.
std::string encode_cursor(const Cursor& cursor);
/// Decodes what encode_cursor wrote; bad_request for anything else.
[[nodiscard]] Result<Cursor> decode_cursor(std::string_view text);

} // namespace gazette::searchd
