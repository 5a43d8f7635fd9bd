#pragma once
/// JSON Lines and JSON documents of articles (simdjson On-Demand).

#include "indexer/readers/parsed_item.hpp"

#include <istream>
#include <memory>
#include <string_view>

namespace gazette::indexer {

/// Parses article objects (SPEC "Articles in"): `id` (required string), `title`, `body`
/// (required unless `html`), `html`, `url`, `source`, `author` (string or list of strings),
/// `date` (ISO 8601), `lang`, `topics` and `tags` (lists of strings). null counts as absent;
/// unknown fields are ignored. With `html`, the page is run through extract_html_article() and
/// fields given in the JSON win. Every article goes through normalise_article().
///
/// Per-record errors (ParsedItem with an Error, the record's id when it could be read) are:
/// bad_utf8 (checked before parsing), bad_json (malformed, trailing content, nesting deeper
/// than ReaderOptions::max_json_depth), bad_article (not an object, missing id or body, wrong
/// types, bad date) and too_large (over max_article_bytes). Blank lines are skipped silently.
///
/// Holds one reused simdjson parser and buffer: not thread-safe, keep one per thread.
class JsonArticleReader {
  public:
    explicit JsonArticleReader(const ReaderOptions& options);
    ~JsonArticleReader();
    JsonArticleReader(JsonArticleReader&&) noexcept;
    JsonArticleReader& operator=(JsonArticleReader&&) noexcept;

    /// One record per line, read in bounded chunks: memory stays O(max_article_bytes) whatever
    /// the stream size. Lines are numbered from 1. Stream failures (badbit) end the reading
    /// with one error item.
    void read_lines(std::istream& in, std::string_view origin, const ItemSink& sink);

    /// Same as read_lines for an in-memory buffer.
    void read_lines(std::string_view data, std::string_view origin, const ItemSink& sink);

    /// A whole JSON document: one object (reported as line 1) or an array of objects (element
    /// N reported as line N, as the ingest API counts them). Document-level failures (malformed,
    /// too deep, not an object or array, over max_document_bytes) are one error at line 0.
    /// An error inside an array element that simdjson cannot step over ends the document.
    void read_document(std::string_view data, std::string_view origin, const ItemSink& sink);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace gazette::indexer
