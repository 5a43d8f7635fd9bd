#include "searchd/search/cursor.hpp"

#include "common/schema.hpp"

#include "common/data_dir.hpp"

#include <charconv>
#include <vector>

namespace gazette::searchd {
namespace {

constexpr std::string_view kHex = "0123456789abcdef";

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

template <class T>
bool parse_number(std::string_view s, T& out) {
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
}

char sort_char(SortOrder s) noexcept {
    switch (s) {
    case SortOrder::relevance:
        return 'r';
    case SortOrder::date_desc:
        return 'd';
    case SortOrder::date_asc:
        return 'a';
    }
    return 'r';
}

} // namespace

std::string encode_cursor(const Cursor& cursor) {
    std::string plain = "1|" + cursor.generation + "|" + sort_char(cursor.sort) + "|" +
                        std::to_string(cursor.offset) + "|" + cursor.last_date + "|" +
                        std::to_string(cursor.last_docid);
    std::string out;
    out.reserve(plain.size() * 2);
    for (const char c : plain) {
        const auto b = static_cast<unsigned char>(c);
        out.push_back(kHex[b >> 4U]);
        out.push_back(kHex[b & 0xFU]);
    }
    return out;
}

Result<Cursor> decode_cursor(std::string_view text) {
    const Error bad(ErrorCode::bad_request, "cursor is not one this server issued", "cursor");
    if (text.empty() || text.size() % 2 != 0 || text.size() > 512) {
        return bad;
    }
    std::string plain;
    for (std::size_t i = 0; i < text.size(); i += 2) {
        const int hi = hex_value(text[i]);
        const int lo = hex_value(text[i + 1]);
        if (hi < 0 || lo < 0) {
            return bad;
        }
        plain.push_back(static_cast<char>(hi * 16 + lo));
    }
    std::vector<std::string_view> parts;
    std::string_view rest = plain;
    while (true) {
        const auto bar = rest.find('|');
        parts.push_back(rest.substr(0, bar));
        if (bar == std::string_view::npos) {
            break;
        }
        rest.remove_prefix(bar + 1);
    }
    if (parts.size() != 6 || parts[0] != "1" || !generation_number(parts[1]) ||
        parts[2].size() != 1) {
        return bad;
    }
    Cursor c;
    c.generation = std::string(parts[1]);
    switch (parts[2][0]) {
    case 'r':
        c.sort = SortOrder::relevance;
        break;
    case 'd':
        c.sort = SortOrder::date_desc;
        break;
    case 'a':
        c.sort = SortOrder::date_asc;
        break;
    default:
        return bad;
    }
    if (!parse_number(parts[3], c.offset) || !parse_number(parts[5], c.last_docid)) {
        return bad;
    }
    c.last_date = std::string(parts[4]);
    return c;
}

bool AfterKeyDecider::operator()(const Xapian::Document& doc) const {
    const std::string v = doc.get_value(schema::kSlotDate);
    const int c = v.compare(date_);
    if (c == 0) {
        return doc.get_docid() > docid_;
    }
    return descending_ ? c < 0 : c > 0;
}

} // namespace gazette::searchd
