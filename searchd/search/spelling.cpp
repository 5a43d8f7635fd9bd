#include "searchd/search/spelling.hpp"

#include "common/text.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <cstdint>
#include <vector>

namespace gazette::searchd {
namespace {

bool is_ascii(std::string_view s) noexcept {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return (static_cast<unsigned char>(c) & 0x80U) == 0; });
}

/// Code points of `s` (a UTF-8 continuation byte does not start one): no decoding needed.
std::size_t code_point_count(std::string_view s) noexcept {
    return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
    }));
}

void decode(std::string_view s, std::vector<char32_t>& out) {
    out.clear();
    for (Xapian::Utf8Iterator it(s.data(), s.size()); it != Xapian::Utf8Iterator(); ++it) {
        out.push_back(static_cast<char32_t>(*it));
    }
}

/// The OSA table over two sequences of symbols (bytes or code points). Rows are reused per
/// thread: the dictionary scan calls this thousands of times per misspelt word, and
/// allocating per call made the scan malloc-bound.
template <class Symbol>
std::size_t osa_distance(const Symbol* a, std::size_t n, const Symbol* b, std::size_t m,
                         std::size_t limit) {
    if ((n > m ? n - m : m - n) > limit) {
        return limit + 1;
    }
    thread_local std::vector<std::size_t> prev2;
    thread_local std::vector<std::size_t> prev;
    thread_local std::vector<std::size_t> cur;
    prev2.assign(m + 1, 0);
    prev.resize(m + 1);
    cur.resize(m + 1);
    for (std::size_t j = 0; j <= m; ++j) {
        prev[j] = j;
    }
    for (std::size_t i = 1; i <= n; ++i) {
        cur[0] = i;
        std::size_t row_min = cur[0];
        for (std::size_t j = 1; j <= m; ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            std::size_t v = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                v = std::min(v, prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = std::min(row_min, v);
        }
        if (row_min > limit) {
            return limit + 1;
        }
        std::swap(prev2, prev);
        std::swap(prev, cur);
    }
    return std::min(prev[m], limit + 1);
}

bool is_word_byte(char c) noexcept {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x80 || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9');
}

bool is_operator(std::string_view w) noexcept {
    return w == "AND" || w == "OR" || w == "NOT" || w == "XOR" || w == "NEAR" || w == "ADJ";
}

/// The dictionary terms a scan reads for one first code point: the first `max_scan`
/// unprefixed terms of the database that start with it, in term order, with their document
/// frequencies and code point lengths.
struct TermRange {
    std::vector<std::string> terms;
    std::vector<Xapian::doccount> freqs;
    std::vector<std::uint32_t> lengths;
    std::vector<std::uint64_t> letters; ///< letter_set() of each term
};

/// The set of ASCII letters and digits in a word, one bit each; bit 63 marks any other byte
/// (non-ASCII words are not filtered by letter sets).
std::uint64_t letter_set(std::string_view w) noexcept {
    std::uint64_t set = 0;
    for (const char c : w) {
        const auto u = static_cast<unsigned char>(c);
        if (u >= 'a' && u <= 'z') {
            set |= std::uint64_t{1} << (u - 'a');
        } else if (u >= '0' && u <= '9') {
            set |= std::uint64_t{1} << (26 + u - '0');
        } else {
            set |= std::uint64_t{1} << 63;
        }
    }
    return set;
}

/// A necessary condition for an edit distance <= limit, checked before the table: each edit
/// removes at most one distinct letter of one word from the other's set (a transposition
/// none), so more than `limit` letters of either word missing from the other means more than
/// `limit` edits. Rejects most candidates of the same length for the price of two popcounts.
bool letters_within(std::uint64_t a, std::uint64_t b, std::size_t limit) noexcept {
    constexpr std::uint64_t kOther = std::uint64_t{1} << 63;
    if (((a | b) & kOther) != 0) {
        return true;
    }
    return static_cast<std::size_t>(__builtin_popcountll(a & ~b)) <= limit &&
           static_cast<std::size_t>(__builtin_popcountll(b & ~a)) <= limit;
}

/// Term ranges kept in memory per database revision, so that a scan walks a vector instead of
/// Xapian's B-tree (which was most of the cost of a suggestion). Every query still scans and
/// compares every candidate: this only caches what the index holds, like a spelling table.
/// Bounded: past `kMaxCachedTerms` terms in all, the cache starts over.
class TermRangeCache {
public:
    static constexpr std::size_t kMaxCachedTerms = 500000;

    std::shared_ptr<const TermRange> get(const Xapian::Database& db, const std::string& first,
                                         std::size_t max_scan) {
        std::string key;
        try {
            const std::string uuid = db.get_uuid();
            if (uuid.empty()) {
                return nullptr; // no stable identity (e.g. an in-memory database): no cache
            }
            key = uuid + '\n' + std::to_string(db.get_revision()) + '\n' +
                  std::to_string(max_scan) + '\n' + first;
        } catch (const Xapian::Error&) {
            return nullptr; // get_revision() of a multi-shard database: scan the database
        }
        {
            std::lock_guard lock(mutex_);
            if (const auto it = ranges_.find(key); it != ranges_.end()) {
                return it->second;
            }
        }
        auto range = std::make_shared<TermRange>();
        std::size_t scanned = 0;
        for (auto t = db.allterms_begin(first); t != db.allterms_end(first) && scanned < max_scan;
             ++t, ++scanned) {
            range->terms.push_back(*t);
            range->freqs.push_back(t.get_termfreq());
            range->lengths.push_back(static_cast<std::uint32_t>(code_point_count(range->terms.back())));
            range->letters.push_back(letter_set(range->terms.back()));
        }
        std::lock_guard lock(mutex_);
        if (cached_terms_ + range->terms.size() > kMaxCachedTerms) {
            ranges_.clear(); // old revisions go too; the ranges in use stay alive by their owners
            cached_terms_ = 0;
        }
        cached_terms_ += range->terms.size();
        ranges_[key] = range;
        return range;
    }

private:
    std::mutex mutex_;
    std::map<std::string, std::shared_ptr<const TermRange>> ranges_;
    std::size_t cached_terms_ = 0;
};

TermRangeCache& term_range_cache() {
    static TermRangeCache cache;
    return cache;
}

} // namespace

std::size_t edit_distance(std::string_view a_text, std::string_view b_text, std::size_t limit) {
    const std::size_t n = code_point_count(a_text);
    const std::size_t m = code_point_count(b_text);
    if ((n > m ? n - m : m - n) > limit) {
        return limit + 1; // most dictionary terms stop here, before any table work
    }
    if (is_ascii(a_text) && is_ascii(b_text)) {
        return osa_distance(a_text.data(), n, b_text.data(), m, limit);
    }
    thread_local std::vector<char32_t> a;
    thread_local std::vector<char32_t> b;
    decode(a_text, a);
    decode(b_text, b);
    return osa_distance(a.data(), a.size(), b.data(), b.size(), limit);
}

std::optional<std::string> suggest_spelling(const Xapian::Database& db, std::string_view q,
                                            const Xapian::Stem& stemmer,
                                            const SpellingOptions& options) {
    std::string out;
    bool changed = false;
    std::size_t i = 0;
    while (i < q.size()) {
        if (!is_word_byte(q[i])) {
            out += q[i++];
            continue;
        }
        const std::size_t start = i;
        while (i < q.size() && is_word_byte(q[i])) {
            ++i;
        }
        const std::string_view word = q.substr(start, i - start);
        const bool prefixed = (start > 0 && q[start - 1] == ':') || (i < q.size() && q[i] == ':');
        const bool wildcard = i < q.size() && q[i] == '*';
        const bool numeric = std::all_of(word.begin(), word.end(),
                                         [](char c) { return c >= '0' && c <= '9'; });
        if (prefixed || wildcard || numeric || is_operator(word)) {
            out += word;
            continue;
        }
        const std::string lower = text::fold_case(word);
        std::string stem_term = "Z"; // built in two steps: GCC 12 -Wrestrict misfires on "Z" + s
        stem_term += stemmer(lower);
        const Xapian::doccount freq = std::max(db.get_termfreq(lower), db.get_termfreq(stem_term));
        if (freq > options.rare_at_most || lower.size() < 3) {
            out += word;
            continue;
        }
        const std::size_t len = code_point_count(lower);
        const std::size_t limit = len <= 4 ? 1 : 2;
        // Candidates share the first code point (an ASCII letter or a UTF-8 sequence).
        std::size_t first_len = 1;
        while (first_len < lower.size() &&
               (static_cast<unsigned char>(lower[first_len]) & 0xC0U) == 0x80U) {
            ++first_len;
        }
        const std::string first = lower.substr(0, first_len);
        std::string best;
        std::size_t best_dist = limit + 1;
        Xapian::doccount best_freq = 0;
        auto consider = [&](const std::string& term, std::size_t d, Xapian::doccount f) {
            if (d == 0 || d > limit || f <= freq) {
                return;
            }
            if (d < best_dist || (d == best_dist && f > best_freq)) {
                best = term;
                best_dist = d;
                best_freq = f;
            }
        };
        const std::uint64_t word_letters = letter_set(lower);
        if (const auto range = term_range_cache().get(db, first, options.max_scan)) {
            for (std::size_t k = 0; k < range->terms.size(); ++k) {
                const std::size_t m = range->lengths[k];
                if ((len > m ? len - m : m - len) > limit) {
                    continue; // cheap length test first: most terms stop here
                }
                if (!letters_within(word_letters, range->letters[k], limit)) {
                    continue;
                }
                consider(range->terms[k], edit_distance(lower, range->terms[k], limit), range->freqs[k]);
            }
        } else {
            std::size_t scanned = 0;
            for (auto t = db.allterms_begin(first);
                 t != db.allterms_end(first) && scanned < options.max_scan; ++t, ++scanned) {
                const std::string term = *t;
                const std::size_t d = edit_distance(lower, term, limit);
                if (d != 0 && d <= limit) {
                    consider(term, d, t.get_termfreq());
                }
            }
        }
        if (best.empty()) {
            out += word;
            continue;
        }
        out += best;
        changed = true;
    }
    if (!changed) {
        return std::nullopt;
    }
    return out;
}

} // namespace gazette::searchd
