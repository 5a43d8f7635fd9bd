#pragma once
/// Text analysis shared by index time and query time: one object decides languages,
/// stemmers, stop words and TermGenerator/QueryParser flags, so that both sides agree.
///
/// Thread-safety: an Analyzer is immutable after construction and may be shared by threads.
/// TermGenerator and QueryParser objects are not thread-safe: each thread makes its own with
/// make_term_generator() / make_query_parser().

#include "common/article.hpp"
#include "common/config.hpp"

#include <xapian.h>

#include <memory>
#include <string>
#include <string_view>

namespace gazette {

class Analyzer {
public:
    explicit Analyzer(AnalysisConfig config);
    ~Analyzer();
    Analyzer(const Analyzer&) = delete;
    Analyzer& operator=(const Analyzer&) = delete;

    /// ISO 639-1 code of the text's language (CLD2), or the default language when unsure.
    std::string detect_language(std::string_view title, std::string_view body) const;

    /// Language to use for a query: by script (Cyrillic -> ru, ...) else the default.
    std::string query_language(std::string_view query) const;

    /// Snowball stemmer for a language; a no-op stemmer for unsupported ones. The returned object
    /// belongs to the calling thread (Xapian reference counts are not thread-safe).
    Xapian::Stem stemmer(std::string_view lang) const;

    /// Stop words for a language (may be empty). The stopper lives as long as the Analyzer.
    const Xapian::Stopper* stopper(std::string_view lang) const;

    /// A TermGenerator configured for `lang` (stemmer, STEM_SOME, CJK n-grams, positions).
    Xapian::TermGenerator make_term_generator(std::string_view lang) const;

    /// A QueryParser configured for `lang` with every field prefix of the schema
    /// (title:, author:, source:, topic:, lang:, tag:), STEM_SOME, CJK n-grams.
    /// The database is used for wildcard expansion and spelling.
    Xapian::QueryParser make_query_parser(std::string_view lang, const Xapian::Database& db) const;

    /// Flags every QueryParser::parse_query call must use (boolean, phrase, wildcard, ...).
    unsigned query_flags() const noexcept;

    /// Builds the complete Xapian document for an article: free-text terms with positions
    /// (title and headings weighted above body, stemmed Z-terms plus exact forms), boolean
    /// filter terms, value slots and the stored data (article_to_json).
    /// `article.lang` must be set (call detect_language first) and `article.topics` final.
    /// `tg` is the caller's (per-thread) TermGenerator; its stemmer is set per article.
    Xapian::Document build_document(const Article& article, Xapian::TermGenerator& tg) const;

    /// build_document without the topic terms, topic value and stored data: the first half,
    /// for callers that classify the built terms and then call retopic_document (which adds
    /// them), so the data is serialised once.
    Xapian::Document build_untopiced_document(const Article& article, Xapian::TermGenerator& tg) const;

    /// Replaces the topic terms and topic value of an existing document (retag) without
    /// touching its text terms. `article` is the document's decoded data with new topics.
    void retopic_document(Xapian::Document& doc, const Article& article) const;

    /// Normalised form of a boolean filter value (lower-cased, whitespace collapsed) as it
    /// appears after the prefix in filter terms.
    static std::string filter_value(std::string_view value);

    const AnalysisConfig& config() const noexcept { return config_; }

private:
    AnalysisConfig config_;
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace gazette
