#pragma once
/// Article input readers: turn JSON Lines, JSON, HTML and scraped plain text into Articles.
///
/// Every input record yields exactly one ParsedItem (an Article or a per-record Error), handed
/// to a sink as soon as it is parsed, so that huge files stream in constant memory and one bad
/// record never stops the rest of a file.

#include "indexer/readers/boilerplate.hpp"
#include "indexer/readers/jsonl_reader.hpp"
#include "indexer/readers/parsed_item.hpp"

#include <filesystem>
#include <optional>
#include <string_view>

namespace gazette::indexer {

/// Input formats the readers understand.
enum class InputFormat { jsonl, json, html, text };

/// Name of a format ("jsonl", "json", "html", "text").
const char* input_format_name(InputFormat format) noexcept;

/// Format from a file extension (case-insensitive): .jsonl .ndjson -> jsonl, .json -> json,
/// .html .htm -> html, .txt .text .md -> text. nullopt for anything else.
std::optional<InputFormat> format_from_path(const std::filesystem::path& path);

/// Format from a Content-Type header value; parameters (";charset=utf-8") are ignored.
/// application/json -> json; application/x-ndjson, application/jsonl, application/x-jsonlines
/// -> jsonl; text/html, application/xhtml+xml -> html; text/plain, text/markdown -> text.
std::optional<InputFormat> format_from_content_type(std::string_view content_type);

/// Reads articles from files and buffers. Holds the compiled boilerplate rules and one reused
/// simdjson parser, so keep one Reader per thread for a batch.
///
/// Thread-safety: a Reader is not thread-safe; distinct Readers may run in parallel.
class Reader {
  public:
    /// Compiles the boilerplate rules.
    /// @exception ErrorException (ErrorCode::bad_config) when a pattern in `options` is not a
    /// valid regex; the message names the pattern.
    explicit Reader(ReaderOptions options = {});

    /// Reads one file, choosing the format by extension. JSON Lines are streamed line by line.
    /// File-level failures (missing, unreadable, unknown extension, too large) become a single
    /// ParsedItem error with line 0. Plain text and HTML articles without an id get one derived
    /// from the file name stem. Never throws for bad input; may throw std::bad_alloc.
    void read_file(const std::filesystem::path& path, const ItemSink& sink);

    /// Reads an in-memory buffer in the given format. `origin` names the source in
    /// SourceLocation::file (a path, or "POST /articles"). `fallback_id` (already sanitised)
    /// is used for HTML and text articles that carry no id; when empty, a content hash is used.
    void read_buffer(std::string_view data,
                     InputFormat format,
                     std::string_view origin,
                     const ItemSink& sink,
                     std::string_view fallback_id = {});

    const ReaderOptions& options() const noexcept { return options_; }

  private:
    ReaderOptions options_;
    BoilerplateFilter boilerplate_;
    JsonArticleReader json_;
};

/// Convenience: `Reader(options).read_file(path, sink)`. Compiles the rules on every call;
/// use a Reader for batches. @exception ErrorException (bad_config) for an invalid pattern.
void read_file(const std::filesystem::path& path,
               const ReaderOptions& options,
               const ItemSink& sink);

/// Convenience: `Reader(options).read_buffer(data, format, origin, sink)`.
/// @exception ErrorException (bad_config) for an invalid pattern.
void read_buffer(std::string_view data,
                 InputFormat format,
                 std::string_view origin,
                 const ReaderOptions& options,
                 const ItemSink& sink);

} // namespace gazette::indexer
