#pragma once
/// Spelling suggestions from the index's own term dictionary.
///
/// Gazette indexes have no Xapian spelling table (the indexer does not build one), so
/// Xapian's FLAG_SPELLING_CORRECTION never fires. Instead, for every query word whose
/// unprefixed and stemmed forms are missing (or rare) in the index, candidates are the
/// unprefixed terms that share its first letter within Damerau-Levenshtein distance 2 (1 for
/// words of up to 4 letters), on code points; the best is the closest, then the most frequent.
/// Work is bounded: at most `max_scan` dictionary terms per word.
/// The terms a scan reads are kept in memory per database revision and first code point
/// (bounded, process-wide), so repeated scans compare against a vector, not Xapian's B-tree;
/// results are the same as scanning the database.

#include <xapian.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace gazette::searchd {

/// Optimal-string-alignment Damerau-Levenshtein distance between two UTF-8 strings, counted
/// in code points; stops early and returns `limit + 1` once the distance must exceed `limit`.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit);

struct SpellingOptions {
    Xapian::doccount rare_at_most = 0; ///< words with at most this many documents are checked
    std::size_t max_scan = 20000;      ///< dictionary terms scanned per word
};

/// The query with misspelt words replaced, or nullopt when nothing was corrected.
/// Words inside field prefixes (`title:x`), wildcards, operators and numbers are left alone.
std::optional<std::string> suggest_spelling(const Xapian::Database& db, std::string_view q,
                                            const Xapian::Stem& stemmer,
                                            const SpellingOptions& options = {});

} // namespace gazette::searchd
