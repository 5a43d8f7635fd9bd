#pragma once
/// Types shared by all article readers: the per-record result, the sink and the options.

#include "common/article.hpp"
#include "common/error.hpp"

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace gazette::indexer {

/// One input record: the parsed article or why it was rejected, and where it came from.
struct ParsedItem {
    Result<Article> article;
    SourceLocation where; ///< file (or request origin) and 1-based line / array element
    std::string id;       ///< the record's id when it could be read, even on error; else empty
};

/// Receives each record as soon as it is parsed. Called on the reading thread.
using ItemSink = std::function<void(ParsedItem&&)>;

/// Options shared by all readers.
struct ReaderOptions {
    /// Largest single record (a JSON line, an HTML page, a text file); larger ones are rejected
    /// with ErrorCode::too_large without being buffered whole.
    std::size_t max_article_bytes = std::size_t{8} << 20;
    /// Largest whole JSON document (object or array of objects) read in one piece.
    std::size_t max_document_bytes = std::size_t{64} << 20;
    /// Deepest JSON nesting accepted (objects and arrays); deeper records are bad_json.
    std::size_t max_json_depth = 64;
    /// Deepest estimated HTML element nesting accepted (see estimate_html_depth); deeper
    /// pages are too_complex, because parsing them takes quadratic time.
    std::size_t max_html_depth = 1024;
    /// Whether the built-in default_boilerplate_rules() apply to plain text.
    bool default_boilerplate = true;
    /// Extra ECMAScript regexes (case-insensitive, matched against a whole trimmed line):
    /// a matching line is dropped from plain text.
    std::vector<std::string> extra_patterns;
    /// Extra regexes like extra_patterns, but a matching line drops itself and everything after
    /// it (comment sections).
    std::vector<std::string> extra_cut_patterns;
    /// Titles derived from a first sentence are cut at a word boundary to about this many
    /// characters (code points).
    std::size_t max_derived_title_chars = 100;
};

} // namespace gazette::indexer
