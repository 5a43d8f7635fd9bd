#pragma once
/// Plain structs between searchd's HTTP side (api/) and its Xapian side (search/).
/// Neither Beast nor Xapian types appear here, so both halves can include this header.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gazette::searchd {

enum class SortOrder { relevance, date_desc, date_asc };
enum class DefaultOp { op_or, op_and };

/// Facetable fields, in the order of the SPEC's `facets` parameter.
enum class FacetField { topic, source, author, lang, tag, year, month };

/// Name of a facet field as used in requests and responses ("topic", ...).
const char* facet_field_name(FacetField field) noexcept;
/// Parses a facet field name; nullopt when unknown.
std::optional<FacetField> parse_facet_field(std::string_view name) noexcept;

/// Boolean filters: OR within a field, AND across fields. Values as the user gave them.
struct Filters {
    std::vector<std::string> topic;
    std::vector<std::string> source;
    std::vector<std::string> author;
    std::vector<std::string> lang;
    std::vector<std::string> tag;
    std::string from; ///< "YYYY-MM-DD" (normalised by the API layer) or empty
    std::string to;   ///< "YYYY-MM-DD" or empty

    /// The filter values of a facet field (year/month have none: empty).
    const std::vector<std::string>* values_for(FacetField field) const noexcept;
    bool empty() const noexcept;
};

/// A validated search request. The API layer checks ranges (limit, offset, window), the
/// search layer checks everything that needs the query parser.
struct SearchRequest {
    std::string q;
    DefaultOp op = DefaultOp::op_or;
    std::size_t limit = 10;
    std::size_t offset = 0;
    SortOrder sort = SortOrder::relevance;
    std::size_t snippet_chars = 200;
    Filters filters;
    std::vector<FacetField> facets = {FacetField::topic, FacetField::source, FacetField::year};
    std::size_t facet_size = 10;
    std::string generation; ///< empty = live
    std::string cursor;     ///< opaque, from a previous response's next_cursor
    bool explain = false;
    bool feedback = false;  ///< pseudo-relevance feedback re-ranking (search/feedback.hpp)
};

/// One term's part of a hit's score (explain=true).
struct TermContribution {
    std::string term;  ///< the index term (with its prefix)
    std::string field; ///< "title", "text", "author", "source", or a boolean field
    double weight = 0; ///< BM25 contribution; 0 for boolean filter terms
};

struct Hit {
    std::string id;
    std::string title; ///< HTML-escaped
    std::string url;
    std::string source;
    std::vector<std::string> authors;
    std::string date;
    std::string lang;
    std::vector<std::string> topics;
    double score = 0;
    std::string snippet; ///< HTML-escaped with <mark> around matches; empty when disabled
    std::vector<std::string> matched_terms; ///< only with explain
    bool explained = false;                 ///< explanation was computed (explain=true)
    std::vector<TermContribution> explanation; ///< only with explain
};

struct FacetCount {
    std::string value;
    std::uint64_t count = 0;
};

struct FacetResult {
    FacetField field = FacetField::topic;
    std::vector<FacetCount> values; ///< count desc, then value asc; at most facet_size
    bool exact = true;
    /// Counted without this field's own filter (disjunctive facets: what choosing another
    /// value would give), so not over the matching set; the response says so.
    bool disjunctive = false;
};

struct Total {
    std::uint64_t value = 0;
    bool exact = true;
    std::uint64_t lower = 0;
    std::uint64_t upper = 0;
};

struct SearchResult {
    std::string q;
    std::string parsed; ///< Xapian::Query::get_description()
    std::string generation;
    Total total;
    double took_ms = 0;
    std::vector<Hit> hits;
    std::vector<FacetResult> facets;
    std::optional<std::string> suggestion;
    std::optional<std::string> next_cursor;
};

/// The stored article (document data, as article_to_json wrote it).
struct ArticleResult {
    std::string json;
    std::string generation;
};

struct StatsResult {
    std::uint64_t articles = 0;
    std::string generation;
    std::string last_update; ///< metadata gazette.last_update, or empty
    std::string created;     ///< metadata gazette.created, or empty
    std::uint64_t index_bytes = 0;
    std::vector<std::string> generations; ///< retained generations, oldest first
};

struct TopicCount {
    std::string id;
    std::string label;
    std::string description;
    std::uint64_t count = 0;
};

} // namespace gazette::searchd
