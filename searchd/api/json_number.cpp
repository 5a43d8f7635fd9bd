#include "searchd/api/json_number.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <cmath>

namespace gazette::searchd::api {
namespace {

void write(const boost::json::value& v, std::string& out) {
    switch (v.kind()) {
    case boost::json::kind::double_:
        out += format_decimal3(v.get_double());
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
            out += boost::json::serialize(boost::json::string_view(k));
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
    if (!std::isfinite(x)) {
        return "0"; // JSON has no NaN/Inf; never produced by BM25 or timers
    }
    std::string s = fmt::format("{:.3f}", std::round(x * 1000.0) / 1000.0);
    if (s.find('.') != std::string::npos) {
        while (s.back() == '0') {
            s.pop_back();
        }
        if (s.back() == '.') {
            s.pop_back();
        }
    }
    if (s == "-0") {
        s = "0";
    }
    return s;
}

std::string serialize_plain(const boost::json::value& v) {
    std::string out;
    write(v, out);
    return out;
}

} // namespace gazette::searchd::api
