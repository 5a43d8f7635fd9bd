#pragma once
/// Dates as people write them on article pages ("May 16, 2024", "16 May 2024"), for bylines in
/// scraped text and free-form HTML meta tags.

#include <optional>
#include <string>
#include <string_view>

namespace gazette::indexer {

/// Parses a whole string that is only a date: ISO forms with at least year-month-day
/// ("2024-05-16", "2024-05-16T10:00:00Z"), RFC 2822 ("Thu, 16 May 2024 10:00:00 GMT"), and
/// English month-name forms with an optional weekday, ordinal suffix and time:
/// "May 16, 2024", "16 May 2024", "Thursday, 16th of May 2024", "Sept. 3, 2023 at 10:30 am".
/// Returns "YYYY-MM-DD", or nullopt when the text is anything else or the day does not exist.
std::optional<std::string> parse_loose_date(std::string_view text);

} // namespace gazette::indexer
