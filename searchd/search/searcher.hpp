#pragma once
/// One search worker's Xapian state: its own Database (live generation, plus a small cache of
/// retained ones), Enquire and QueryParsers, kept for the worker's whole life.
///
/// Thread-safety: none. A Searcher is used by exactly one thread (its worker).

#include "common/config.hpp"
#include "common/error.hpp"
#include "searchd/search/facet_columns.hpp"
#include "searchd/search/types.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace Xapian {
class Database;
}

namespace gazette {
class Analyzer;
class Taxonomy;
} // namespace gazette

namespace gazette::searchd {

class GenerationWatcher;
class ResultCache;
class SliceHelpers;
class Synonyms;

/// What every searcher shares (all immutable or thread-safe). Must outlive the searchers.
struct SearchEnv {
    const Config* config = nullptr;
    const Analyzer* analyzer = nullptr;
    GenerationWatcher* watcher = nullptr;
    const Taxonomy* taxonomy = nullptr; ///< may be null (no topics file)
    ResultCache* cache = nullptr;       ///< may be null (no result cache)
    const Synonyms* synonyms = nullptr; ///< may be null (no synonyms file)
    FacetColumnsCache* facet_columns = nullptr; ///< may be null (facets read document values)
    SliceHelpers* slices = nullptr;              ///< may be null (matches are never split)
};

/// An open generation lent to research code (trends, export, similar) for one call.
struct GenerationAccess {
    const SearchEnv& env;
    const std::string& name;
    const Xapian::Database& db;
};

class Searcher {
public:
    explicit Searcher(SearchEnv env);
    ~Searcher();
    Searcher(const Searcher&) = delete;
    Searcher& operator=(const Searcher&) = delete;

    /// Runs a search. Errors: not_ready (no live generation), not_found (unknown generation),
    /// bad_query / bad_request / too_complex (query), timeout, internal.
    /// Xapian exceptions other than those mapped are thrown to the caller.
    [[nodiscard]] Result<SearchResult> search(const SearchRequest& request);

    /// The stored article with id `id` (in `generation`, or the live one when empty).
    [[nodiscard]] Result<ArticleResult> article(const std::string& id, const std::string& generation);

    /// Article count, generation, last update, size on disk.
    [[nodiscard]] Result<StatsResult> stats();

    /// The taxonomy's topics with the live generation's article counts.
    [[nodiscard]] Result<std::vector<TopicCount>> topics();

    /// Runs `fn` on a generation (the live one when empty) with the same opening rules and
    /// DatabaseModifiedError retry as search(). Errors: not_ready, not_found, bad_request.
    [[nodiscard]] Result<void> with_generation(const std::string& generation,
                                               const std::function<Result<void>(const GenerationAccess&)>& fn);

    /// Documents in the generation this searcher last opened (0 before any).
    std::uint64_t last_doc_count() const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace gazette::searchd
