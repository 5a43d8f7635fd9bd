#pragma once
/// JSON serialisation with plain decimal numbers.
///
/// boost::json prints every double in exponent form ("9.75E-1"), valid JSON but unfriendly;
/// searchd's doubles (scores, took_ms) are rounded to 3 decimals and printed plainly ("0.975").

#include <boost/json/value.hpp>

#include <string>
#include <string_view>

namespace gazette::searchd::api {

/// `x` rounded to 3 decimals, without exponent or trailing zeros ("12.5", "0.001", "3").
std::string format_decimal3(double x);

/// Serialises `v` like boost::json::serialize, but doubles as format_decimal3.
std::string serialize_plain(const boost::json::value& v);

/// Appends serialize_plain(v) to `out`.
void append_plain(std::string& out, const boost::json::value& v);

/// Appends `s` as a JSON string literal, escaped byte for byte as boost::json::serialize does
/// (`"` `\` and control characters; other bytes, UTF-8 included, are copied).
void append_json_string(std::string& out, std::string_view s);

/// Appends format_decimal3(x).
void append_decimal3(std::string& out, double x);

} // namespace gazette::searchd::api
