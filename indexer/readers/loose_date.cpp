#include "indexer/readers/loose_date.hpp"

#include "common/dates.hpp"
#include "common/text.hpp"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <charconv>
#include <vector>

namespace gazette::indexer {

namespace {

bool is_digit(char c) noexcept {
    return c >= '0' && c <= '9';
}
bool is_alpha(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (auto& c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

/// 1..12 for an English month name or abbreviation ("sep", "sept", "september"), else 0.
int month_number(std::string_view word) {
    static constexpr std::array<std::string_view, 12> names = {"january",
                                                               "february",
                                                               "march",
                                                               "april",
                                                               "may",
                                                               "june",
                                                               "july",
                                                               "august",
                                                               "september",
                                                               "october",
                                                               "november",
                                                               "december"};
    if (word == "sept") {
        return 9;
    }
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (word == names[i] || (word.size() == 3 && names[i].substr(0, 3) == word)) {
            return static_cast<int>(i) + 1;
        }
    }
    return 0;
}

bool is_weekday(std::string_view word) {
    static constexpr std::array<std::string_view, 7> names = {
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
    for (const auto name : names) {
        if (word == name || (word.size() >= 3 && word.size() < name.size() &&
                             name.substr(0, word.size()) == word)) {
            return true;
        }
    }
    return false;
}

/// Words that may surround a date without making it something else.
bool is_filler(std::string_view word) {
    return word == "of" || word == "at" || word == "am" || word == "pm" || word == "a.m" ||
           word == "p.m" || word == "utc" || word == "gmt";
}

} // namespace

std::optional<std::string> parse_loose_date(std::string_view input) {
    const std::string_view s = text::trim(input);
    if (s.size() < 6 || s.size() > 60) {
        return std::nullopt;
    }
    // ISO forms: require a full day so that a bare "2024" line is not taken for a date.
    if (s.size() >= 10 && is_digit(s[0]) && is_digit(s[1]) && is_digit(s[2]) && is_digit(s[3]) &&
        s[4] == '-' && is_digit(s[5]) && is_digit(s[6]) && s[7] == '-') {
        if (auto d = dates::parse(s); d) {
            return d->iso();
        }
        return std::nullopt;
    }
    // Tokenise into words and numbers; separators are spaces, commas, '/', '-' and '.'.
    std::vector<std::string> tokens;
    std::string cur;
    for (const char c : s) {
        if (is_alpha(c) || is_digit(c) || c == ':') {
            cur.push_back(c);
        } else {
            if (!cur.empty()) {
                tokens.push_back(lower_ascii(cur));
                cur.clear();
            }
            const bool separator =
                c == ' ' || c == ',' || c == '/' || c == '-' || c == '.' || c == '\t';
            if (!separator) {
                return std::nullopt;
            }
        }
    }
    if (!cur.empty()) {
        tokens.push_back(lower_ascii(cur));
    }
    int year = 0;
    int month = 0;
    int day = 0;
    for (const auto& tok : tokens) {
        if (tok.find(':') != std::string::npos) {
            continue; // a time of day
        }
        if (is_digit(tok[0])) {
            std::size_t digits = 0;
            while (digits < tok.size() && is_digit(tok[digits])) {
                ++digits;
            }
            const std::string_view suffix = std::string_view(tok).substr(digits);
            int value = 0;
            std::from_chars(tok.data(), tok.data() + digits, value);
            if (digits == 4 && suffix.empty() && year == 0) {
                year = value;
            } else if (digits <= 2 && day == 0 && value >= 1 && value <= 31 &&
                       (suffix.empty() || suffix == "st" || suffix == "nd" || suffix == "rd" ||
                        suffix == "th")) {
                day = value;
            } else {
                return std::nullopt;
            }
            continue;
        }
        if (const int m = month_number(tok); m != 0 && month == 0) {
            month = m;
        } else if (!is_weekday(tok) && !is_filler(tok)) {
            return std::nullopt;
        }
    }
    if (year < 1800 || year > 2200 || month == 0 || day == 0) {
        return std::nullopt;
    }
    // dates::parse validates the day against the month (no 31 June).
    if (auto d = dates::parse(fmt::format("{:04}-{:02}-{:02}", year, month, day)); d) {
        return d->iso();
    }
    return std::nullopt;
}

} // namespace gazette::indexer
