#pragma once
/// JSON serialisation with plain decimal numbers.
///
/// boost::json prints every double in exponent form ("9.75E-1"), valid JSON but unfriendly;
/// searchd's doubles (scores, took_ms) are rounded to 3 decimals and printed plainly ("0.975").

#include <boost/json/value.hpp>

#include <string>

namespace gazette::searchd::api {

/// `x` rounded to 3 decimals, without exponent or trailing zeros ("12.5", "0.001", "3").
std::string format_decimal3(double x);

/// Serialises `v` like boost::json::serialize, but doubles as format_decimal3.
std::string serialize_plain(const boost::json::value& v);

} // namespace gazette::searchd::api
