#pragma once
/// A Snowball stemmer with a word -> stem memo. Article text repeats a small vocabulary, so
/// most stem calls of an indexing thread are cache hits, which cost a hash lookup instead of
/// a Snowball run. Results are exactly those of the wrapped stemmer.
///
/// Thread-safety: none, like Xapian::Stem itself (its reference count is not atomic). Wrap a
/// stemmer per thread (Analyzer::stemmer already keeps one per thread and language).

#include <xapian.h>

#include <cstddef>
#include <string>
#include <unordered_map>

namespace gazette {

class CachingStemmer : public Xapian::StemImplementation {
public:
    /// `inner` must not be a none stemmer. At most `max_entries` words are remembered; the
    /// memo is emptied when it is full (cheap, and a working vocabulary refills it quickly).
    explicit CachingStemmer(Xapian::Stem inner, std::size_t max_entries = kDefaultMaxEntries);

    std::string operator()(const std::string& word) override;
    std::string get_description() const override;

    /// Words remembered now (tests and diagnostics).
    std::size_t size() const noexcept { return memo_.size(); }

    static constexpr std::size_t kDefaultMaxEntries = 1u << 16;

private:
    Xapian::Stem inner_;
    std::size_t max_entries_;
    std::unordered_map<std::string, std::string> memo_;
};

/// `stem` wrapped in a CachingStemmer; a none stemmer is returned as it is.
Xapian::Stem make_caching_stemmer(Xapian::Stem stem, std::size_t max_entries = CachingStemmer::kDefaultMaxEntries);

} // namespace gazette
