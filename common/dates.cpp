#include "common/dates.hpp"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <chrono>
#include <ctime>

namespace gazette::dates {

namespace {

bool is_leap(int y) noexcept { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) noexcept {
    static constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : kDays[static_cast<std::size_t>(m - 1)];
}

/// Reads exactly `n` digits at `pos`.
bool read_digits(std::string_view s, std::size_t pos, std::size_t n, int& out) noexcept {
    if (pos + n > s.size()) {
        return false;
    }
    int v = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const char c = s[pos + i];
        if (c < '0' || c > '9') {
            return false;
        }
        v = v * 10 + (c - '0');
    }
    out = v;
    return true;
}

Error bad_date(std::string_view s, std::string_view why) {
    return Error(ErrorCode::bad_request,
                 fmt::format("invalid date '{}': {}", s.substr(0, 64), why));
}

int month_from_name(std::string_view name) noexcept {
    static constexpr std::array<std::string_view, 12> kNames{"jan", "feb", "mar", "apr", "may", "jun",
                                                             "jul", "aug", "sep", "oct", "nov", "dec"};
    if (name.size() < 3) {
        return 0;
    }
    std::string lower;
    for (std::size_t i = 0; i < 3; ++i) {
        lower += static_cast<char>(std::tolower(static_cast<unsigned char>(name[i])));
    }
    for (std::size_t i = 0; i < kNames.size(); ++i) {
        if (kNames[i] == lower) {
            return static_cast<int>(i) + 1;
        }
    }
    return 0;
}

/// RFC 2822 and "May 16, 2024" / "16 May 2024" forms.
Result<Date> parse_named_month(std::string_view s) {
    // Tokenise on spaces and commas.
    std::vector<std::string_view> tokens;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == ',')) {
            ++i;
        }
        std::size_t j = i;
        while (j < s.size() && s[j] != ' ' && s[j] != ',') {
            ++j;
        }
        if (j > i) {
            tokens.push_back(s.substr(i, j - i));
        }
        i = j;
    }
    int day = 0;
    int month = 0;
    int year = 0;
    for (auto tok : tokens) {
        if (month == 0 && std::isalpha(static_cast<unsigned char>(tok[0])) != 0) {
            month = month_from_name(tok);
            continue;
        }
        int v = 0;
        std::size_t digits = 0;
        while (digits < tok.size() && std::isdigit(static_cast<unsigned char>(tok[digits])) != 0) {
            ++digits;
        }
        if (digits == 0 || (digits < tok.size() && tok[digits] == ':')) {
            continue; // a time or a weekday
        }
        if (!read_digits(tok, 0, digits, v)) {
            continue;
        }
        if (digits == 4 && year == 0) {
            year = v;
        } else if (digits <= 2 && day == 0) {
            day = v;
        }
    }
    if (year == 0 || month == 0 || day == 0) {
        return bad_date(s, "expected YYYY-MM-DD");
    }
    if (day > days_in_month(year, month)) {
        return bad_date(s, "day out of range");
    }
    return Date{year, month, day};
}

} // namespace

std::string Date::iso() const { return fmt::format("{:04d}-{:02d}-{:02d}", year, month, day); }
std::string Date::compact() const { return fmt::format("{:04d}{:02d}{:02d}", year, month, day); }

long Date::days_since_epoch() const {
    // Howard Hinnant's days_from_civil.
    const int y = year - (month <= 2 ? 1 : 0);
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int mp = (month + 9) % 12;
    const int doy = (153 * mp + 2) / 5 + day - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return static_cast<long>(era) * 146097L + doe - 719468L;
}

Date Date::from_days(long z) {
    z += 719468;
    const long era = (z >= 0 ? z : z - 146096) / 146097;
    const long doe = z - era * 146097;
    const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long y = yoe + era * 400;
    const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const long mp = (5 * doy + 2) / 153;
    const long d = doy - (153 * mp + 2) / 5 + 1;
    const long m = mp < 10 ? mp + 3 : mp - 9;
    return Date{static_cast<int>(y + (m <= 2 ? 1 : 0)), static_cast<int>(m), static_cast<int>(d)};
}

Result<Date> parse(std::string_view s, bool round_up) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
        s.remove_suffix(1);
    }
    if (s.empty()) {
        return bad_date(s, "empty");
    }
    int year = 0;
    if (!read_digits(s, 0, 4, year)) {
        return parse_named_month(s);
    }
    if (year < 1000) {
        return bad_date(s, "year out of range");
    }
    Date d{year, round_up ? 12 : 1, 1};
    if (s.size() == 4) {
        d.day = round_up ? 31 : 1;
        return d;
    }
    if (s[4] != '-' || !read_digits(s, 5, 2, d.month) || d.month < 1 || d.month > 12) {
        return bad_date(s, "expected YYYY-MM-DD");
    }
    if (s.size() == 7) {
        d.day = round_up ? days_in_month(d.year, d.month) : 1;
        return d;
    }
    if (s[7] != '-' || !read_digits(s, 8, 2, d.day) || d.day < 1 ||
        d.day > days_in_month(d.year, d.month)) {
        return bad_date(s, "expected YYYY-MM-DD");
    }
    if (s.size() == 10) {
        return d;
    }
    if (s[10] != 'T' && s[10] != ' ' && s[10] != 't') {
        return bad_date(s, "unexpected text after the date");
    }
    // Date-time: apply a numeric offset so that the stored date is the UTC date.
    int hour = 0;
    int minute = 0;
    if (!read_digits(s, 11, 2, hour) || s.size() < 16 || s[13] != ':' || !read_digits(s, 14, 2, minute) ||
        hour > 23 || minute > 59) {
        return bad_date(s, "invalid time");
    }
    const std::size_t tz = s.find_first_of("+-Zz", 16);
    long minutes = hour * 60L + minute;
    if (tz != std::string_view::npos && (s[tz] == '+' || s[tz] == '-')) {
        int oh = 0;
        int om = 0;
        if (!read_digits(s, tz + 1, 2, oh)) {
            return bad_date(s, "invalid time zone offset");
        }
        const std::size_t mpos = (tz + 3 < s.size() && s[tz + 3] == ':') ? tz + 4 : tz + 3;
        if (mpos < s.size() && !read_digits(s, mpos, 2, om)) {
            return bad_date(s, "invalid time zone offset");
        }
        const long offset = oh * 60L + om;
        minutes += (s[tz] == '+') ? -offset : offset;
    }
    long days = d.days_since_epoch();
    if (minutes < 0) {
        days -= 1;
    } else if (minutes >= 24 * 60) {
        days += 1;
    }
    return Date::from_days(days);
}

Date week_start(const Date& d) {
    const long days = d.days_since_epoch();
    // 1970-01-01 was a Thursday: Monday-based weekday index is (days + 3) mod 7.
    const long weekday = ((days + 3) % 7 + 7) % 7;
    return Date::from_days(days - weekday);
}

std::string now_iso8601() {
    const auto now = std::chrono::system_clock::now();
    const std::time_t t = std::chrono::system_clock::to_time_t(now);
    std::tm tm{};
    gmtime_r(&t, &tm);
    return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                       tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

} // namespace gazette::dates
