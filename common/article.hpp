#pragma once
/// The article model shared by the indexer (which builds it from input) and searchd (which
/// reads it back from a document's data).

#include "common/error.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace gazette {

/// A topic attached to an article: classified (with a score) or given by the editor.
struct TopicScore {
    std::string id;
    double score = 0.0;
    bool editor = false; ///< true when the input listed it in `topics`
};

/// One article, normalised: text fields are valid UTF-8 without control characters.
struct Article {
    std::string id;                   ///< required, 1..200 bytes, no control characters
    std::string title;
    std::string body;                 ///< plain text; paragraphs separated by "\n\n"
    std::vector<std::string> headings;///< section headings found in the body (weighted like title)
    std::string url;
    std::string source;
    std::vector<std::string> authors;
    std::string date;                 ///< "YYYY-MM-DD" or empty
    std::string lang;                 ///< ISO 639-1 or empty (detected at analysis)
    std::vector<std::string> editor_topics; ///< `topics` from the input
    std::vector<std::string> tags;
    std::vector<TopicScore> topics;   ///< editor topics + classified topics, set by the classifier
};

/// Where an article came from, for error messages: "file.jsonl:17" or "POST /articles line 3".
struct SourceLocation {
    std::string file;
    long line = 0;
    std::string to_string() const;
};

/// Checks id rules: 1 to 200 bytes of valid UTF-8 without control characters.
[[nodiscard]] Result<void> validate_article_id(std::string_view id);

/// Validates and normalises an article in place: required fields present (`id`, and `body`
/// unless it came from HTML), UTF-8 validity, control characters stripped from text, date
/// normalised to YYYY-MM-DD, lang lower-cased. Returns an error naming the field at fault.
[[nodiscard]] Result<void> normalise_article(Article& article);

/// Serialises the full article (with topics and scores) as a compact JSON object.
/// This is what the index stores as document data and what GET /articles/{id} returns.
std::string article_to_json(const Article& article);

/// Parses what article_to_json wrote (also accepts input-style JSON objects).
[[nodiscard]] Result<Article> article_from_json(std::string_view json);

/// Fast decoder of stored document data (simdjson On-Demand, thread-local parser). With
/// `with_body` false the body is skipped without being copied or unescaped: what a result
/// list needs. Same result as article_from_json otherwise. Thread-safe.
[[nodiscard]] Result<Article> article_from_stored_json(std::string_view json, bool with_body = true);

} // namespace gazette
