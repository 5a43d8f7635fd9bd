#pragma once
/// Request-target parsing: split path and query and percent-decode both.
/// Pure string code (no Beast) so it can be tested as a table.

#include "common/error.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gazette::httpd::detail {

struct ParsedTarget {
    std::string path;                                       ///< percent-decoded path
    std::string raw_path;                                   ///< path as received
    std::vector<std::pair<std::string, std::string>> query; ///< decoded, in order
};

/// Decodes `%XX` escapes; with `plus_is_space` a '+' becomes ' ' (query strings only).
/// Returns nullopt on a truncated or non-hex escape, or on a decoded NUL byte (never
/// legitimate in a path or a parameter, and dangerous for anything that reaches C APIs).
[[nodiscard]] std::optional<std::string> percent_decode(std::string_view in, bool plus_is_space);

/// Parses an origin-form target ("/a/b?x=1&y") or an absolute-form one
/// ("http://host/a?x=1", proxies send it). A fragment, if a client sends one, is dropped.
/// Query pairs keep their order and repeats; a key without '=' gets an empty value; empty
/// pieces ("a=1&&b=2") are skipped.
/// @return ErrorCode::bad_request when the target is not origin/absolute form or has a bad escape.
[[nodiscard]] Result<ParsedTarget> parse_target(std::string_view target);

} // namespace gazette::httpd::detail
