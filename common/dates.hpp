#pragma once
/// ISO 8601 date handling for article dates and date filters.

#include "common/error.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace gazette::dates {

/// A calendar date.
struct Date {
    int year = 0;
    int month = 0;
    int day = 0;
    std::string iso() const;      ///< "YYYY-MM-DD"
    std::string compact() const;  ///< "YYYYMMDD" (value-slot / term form)
    long days_since_epoch() const;///< days since 1970-01-01 (for weeks and cursors)
    static Date from_days(long days);
    auto operator<=>(const Date&) const = default;
};

/// Parses "YYYY", "YYYY-MM", "YYYY-MM-DD", or a full ISO 8601 date-time
/// ("2024-05-16T10:00:00Z", "+02:00" offsets; the date part in UTC is kept), and also
/// RFC 2822 dates ("Thu, 16 May 2024 10:00:00 GMT") as found in HTML meta tags.
/// `year`/`month` forms resolve to the first day when `round_up` is false, the last when true.
[[nodiscard]] Result<Date> parse(std::string_view s, bool round_up = false);

/// "Monday of ISO week" for weekly trend buckets.
Date week_start(const Date& d);

/// Current UTC time as ISO 8601 ("2026-11-30T02:06:21Z").
std::string now_iso8601();

} // namespace gazette::dates
