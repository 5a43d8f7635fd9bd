#include "searchd/api/json_number.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <cmath>
#include <iterator>

namespace gazette::searchd::api {
namespace {

void write(const boost::json::value& v, std::string& out) {
    switch (v.kind()) {
    case boost::json::kind::double_:
        append_decimal3(out, v.get_double());
        return;
    case boost::json::kind::string:
        append_json_string(out, v.get_string());
        return;
    case boost::json::kind::array: {
        out += '[';
        bool first = true;
        for (const auto& x : v.get_array()) {
            if (!first) {
                out += ',';
            }
            first = false;
            write(x, out);
        }
        out += ']';
        return;
    }
    case boost::json::kind::object: {
        out += '{';
        bool first = true;
        for (const auto& [k, x] : v.get_object()) {
            if (!first) {
                out += ',';
            }
            first = false;
            append_json_string(out, k);
            out += ':';
            write(x, out);
        }
        out += '}';
        return;
    }
    default:
        out += boost::json::serialize(v);
        return;
    }
}

} // namespace

std::string format_decimal3(double x) {
    std::string s;
    append_decimal3(s, x);
    return s;
}

std::string serialize_plain(const boost::json::value& v) {
    std::string out;
    write(v, out);
    return out;
}

void append_plain(std::string& out, const boost::json::value& v) {
    write(v, out);
}

void append_json_string(std::string& out, std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    std::size_t run = 0; // start of the pending run of bytes that need no escape
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\') {
            continue;
        }
        out.append(s.data() + run, i - run);
        run = i + 1;
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 0xf];
        }
    }
    out.append(s.data() + run, s.size() - run);
    out += '"';
}

void append_decimal3(std::string& out, double x) {
    if (!std::isfinite(x)) {
        out += '0'; // JSON has no NaN/Inf; never produced by BM25 or timers
        return;
    }
    fmt::memory_buffer buf; // inline storage: no allocation for ordinary magnitudes
    fmt::format_to(std::back_inserter(buf), "{:.3f}", std::round(x * 1000.0) / 1000.0);
    std::string_view s(buf.data(), buf.size());
    if (s.find('.') != std::string_view::npos) {
        while (s.back() == '0') {
            s.remove_suffix(1);
        }
        if (s.back() == '.') {
            s.remove_suffix(1);
        }
    }
    out += s == "-0" ? std::string_view("0") : s;
}

} // namespace gazette::searchd::api
