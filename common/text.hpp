#pragma once
/// Small UTF-8 and text helpers. All functions are pure and thread-safe.

#include <string>
#include <string_view>
#include <vector>

namespace gazette::text {

/// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, max U+10FFFF).
bool is_valid_utf8(std::string_view s) noexcept;

/// Byte offset of the first invalid UTF-8 sequence, or npos.
std::size_t first_invalid_utf8(std::string_view s) noexcept;

/// Replaces invalid sequences with U+FFFD.
std::string sanitize_utf8(std::string_view s);

/// Removes C0/C1 control characters except \n and \t (\t becomes a space).
std::string strip_control_chars(std::string_view s);

/// Unicode-aware lower-casing (Xapian::Unicode::tolower per code point).
std::string fold_case(std::string_view s);

/// Collapses runs of whitespace into one space and trims both ends.
std::string collapse_whitespace(std::string_view s);

/// Trims ASCII and Unicode whitespace (incl. NBSP) from both ends.
std::string_view trim(std::string_view s) noexcept;

/// HTML-escapes & < > " ' .
std::string html_escape(std::string_view s);
void append_html_escaped(std::string& out, std::string_view s);

/// Number of code points.
std::size_t utf8_length(std::string_view s) noexcept;

/// Truncates to at most `max_bytes`, never splitting a UTF-8 sequence.
std::string_view truncate_utf8(std::string_view s, std::size_t max_bytes) noexcept;

/// Splits on a single character.
std::vector<std::string_view> split(std::string_view s, char sep);

/// Percent-decodes a URL component ('+' is a space when `plus_is_space`). Returns false on
/// malformed escapes.
bool percent_decode(std::string_view in, std::string& out, bool plus_is_space = false);

/// Percent-encodes everything but unreserved characters (RFC 3986).
std::string percent_encode(std::string_view in);

} // namespace gazette::text
