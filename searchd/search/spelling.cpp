#include "searchd/search/spelling.hpp"

#include "common/text.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace gazette::searchd {
namespace {

std::vector<char32_t> code_points(std::string_view s) {
    std::vector<char32_t> out;
    for (Xapian::Utf8Iterator it(s.data(), s.size()); it != Xapian::Utf8Iterator(); ++it) {
        out.push_back(static_cast<char32_t>(*it));
    }
    return out;
}

bool is_word_byte(char c) noexcept {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x80 || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9');
}

bool is_operator(std::string_view w) noexcept {
    return w == "AND" || w == "OR" || w == "NOT" || w == "XOR" || w == "NEAR" || w == "ADJ";
}

} // namespace

std::size_t edit_distance(std::string_view a_text, std::string_view b_text, std::size_t limit) {
    const auto a = code_points(a_text);
    const auto b = code_points(b_text);
    const std::size_t n = a.size();
    const std::size_t m = b.size();
    if ((n > m ? n - m : m - n) > limit) {
        return limit + 1;
    }
    // Three rows of the OSA table.
    std::vector<std::size_t> prev2(m + 1), prev(m + 1), cur(m + 1);
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
        const Xapian::doccount freq =
            std::max(db.get_termfreq(lower), db.get_termfreq("Z" + stemmer(lower)));
        if (freq > options.rare_at_most || lower.size() < 3) {
            out += word;
            continue;
        }
        const std::size_t len = code_points(lower).size();
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
        std::size_t scanned = 0;
        for (auto t = db.allterms_begin(first); t != db.allterms_end(first) && scanned < options.max_scan;
             ++t, ++scanned) {
            const std::string term = *t;
            const std::size_t d = edit_distance(lower, term, limit);
            if (d == 0 || d > limit) {
                continue;
            }
            const Xapian::doccount f = t.get_termfreq();
            if (f <= freq) {
                continue;
            }
            if (d < best_dist || (d == best_dist && f > best_freq)) {
                best = term;
                best_dist = d;
                best_freq = f;
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
