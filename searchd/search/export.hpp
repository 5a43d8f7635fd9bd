#pragma once
/// GET /export, search side: every hit of a query, read in batches.
///
/// An ExportCursor opens its own Xapian::Database on the generation that was live (or asked
/// for) when the export started, so every batch sees the same index however long the
/// download takes. Date orders continue after the last (date, docid) key (constant memory);
/// relevance order pages by offset windows of get_mset.
///
/// Thread-safety: none, but batches may run on different worker threads one after another
/// (the streaming side never asks for the next batch before the previous one returned).

#include "common/error.hpp"
#include "searchd/search/types.hpp"

#include <memory>
#include <string>
#include <vector>

namespace gazette::searchd {

class Searcher;

/// One exported article (fields are filled whatever the requested columns; cheap).
struct ExportRecord {
    Hit hit;          ///< title not HTML-escaped here; snippet plain text (no <mark>)
    std::string body; ///< only when `with_body`
    std::vector<std::string> tags; ///< only when `with_body` (read from the stored article)
};

class ExportCursor {
public:
    ~ExportCursor();
    ExportCursor(const ExportCursor&) = delete;
    ExportCursor& operator=(const ExportCursor&) = delete;

    /// Parses the query and pins the generation. Runs on a worker. `request.sort`, `q`, `op`,
    /// filters and generation are used; `snippet_chars` > 0 adds plain-text snippets.
    [[nodiscard]] static Result<std::unique_ptr<ExportCursor>> open(Searcher& searcher,
                                                                    const SearchRequest& request,
                                                                    bool with_body);

    /// The next at most `n` records; empty when the export is complete.
    [[nodiscard]] Result<std::vector<ExportRecord>> next_batch(std::size_t n);

    const std::string& generation() const noexcept;
    /// Matching documents (exact).
    std::uint64_t total() const noexcept;

private:
    ExportCursor();
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace gazette::searchd
