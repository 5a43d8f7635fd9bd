#pragma once
/// Query-biased snippets: the window of a document body that holds the most distinct query
/// terms, cut at word (preferably sentence) boundaries, HTML-escaped, matches in <mark>.
///
/// Why our own instead of Xapian::MSet::snippet: that one re-tokenises the text with a full
/// TermGenerator and stems every word. Here the body is scanned once with a cheap ASCII fast
/// path; a word is stemmed only when its first bytes could start a query stem, so stemming
/// is rare, and lookups are hash probes on string_views.
///
/// Thread-safety: a SnippetGenerator holds a Xapian::Stem, which is not thread-safe; build one
/// per query (cheap) or per thread.

#include <xapian.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace gazette::searchd {

/// Transparent hash so maps keyed by std::string can be probed with a string_view.
struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
        return std::hash<std::string_view>{}(s);
    }
};

class SnippetGenerator {
public:
    /// `exact`: lower-cased words to match as they are; `stems`: stems (without the `Z`) to
    /// match after stemming a word with `stemmer`; `wildcard_roots`: lower-cased prefixes
    /// (`pipe` for `pipe*`). Words sharing a stem count as the same query term.
    /// `phrases`: lower-cased word sequences ("power", "of", "siberia") that are marked only
    /// where they occur in that order, as one match (a word of a phrase that is not also a
    /// query word of its own is never marked alone: `"power of siberia"` must not mark every
    /// "of").
    SnippetGenerator(const std::vector<std::string>& exact,
                     const std::vector<std::string>& stems,
                     const std::vector<std::string>& wildcard_roots,
                     Xapian::Stem stemmer,
                     const std::vector<std::vector<std::string>>& phrases = {});

    /// Collects the free-text terms of a parsed query: plain and field-prefixed (S, XA, XS)
    /// terms as exact words, `Z` terms as stems, OP_PHRASE word sequences as phrases; boolean
    /// filter terms are ignored.
    static SnippetGenerator from_query(const Xapian::Query& query,
                                       const std::vector<std::string>& wildcard_roots,
                                       Xapian::Stem stemmer);

    /// Lower-cased roots of the `word*` wildcards written in a raw query string.
    static std::vector<std::string> wildcard_roots(std::string_view raw_query);

    /// A snippet of about `max_chars` code points of `body` (never more, plus the "..."
    /// marks). Empty when `max_chars` is 0. When no query term occurs, the start of the body.
    std::string generate(std::string_view body, std::size_t max_chars) const;

    /// Same, for a title: the whole text, escaped, with matches marked.
    std::string highlight_all(std::string_view text) const;

    /// True when no term can match (empty query or only filters).
    bool empty() const noexcept {
        return exact_.empty() && stems_.empty() && roots_.empty() && phrases_.empty();
    }

private:
    struct Match {
        std::uint32_t byte_begin;
        std::uint32_t byte_end;
        std::uint32_t char_begin;
        std::uint32_t char_end;
        std::uint32_t concept_id;
    };

    /// A word of a phrase, seen in the text (word_no counts words from the start).
    struct PhraseWord {
        Match span;
        std::uint32_t word_no;
        int word_id;
    };
    struct Phrase {
        std::vector<int> word_ids; ///< ids in phrase_words_, in order
        int concept_id;
    };

    /// Concept id of a lower-cased word, or -1.
    int classify(std::string_view lower) const;
    /// Adds to `out` (kept in text order) one match per phrase occurrence among `seen`,
    /// replacing the single-word matches it covers.
    void add_phrase_matches(const std::vector<PhraseWord>& seen, std::vector<Match>& out) const;
    void find_matches(std::string_view body, std::vector<Match>& out, std::size_t max_bytes) const;
    std::string render(std::string_view body, std::size_t begin, std::size_t end,
                       const std::vector<Match>& matches, bool lead_ellipsis,
                       bool trail_ellipsis) const;

    std::unordered_map<std::string, int, StringHash, std::equal_to<>> exact_;
    std::unordered_map<std::string, int, StringHash, std::equal_to<>> stems_;
    std::vector<std::pair<std::string, int>> roots_;
    std::unordered_map<std::string, int, StringHash, std::equal_to<>> phrase_words_;
    std::vector<Phrase> phrases_;
    /// First bytes (up to 3) of every stem: a word is stemmed only if it starts with one.
    std::vector<std::string> stem_heads_;
    std::size_t concepts_ = 0;
    mutable Xapian::Stem stemmer_;
};

} // namespace gazette::searchd
