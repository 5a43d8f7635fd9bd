#include "searchd/search/suggest_index.hpp"

#include <xapian.h>

#include <algorithm>
#include <limits>

namespace gazette::searchd {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

bool digits_only(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// Ranking of completions: more articles first, then alphabetical (index order).
struct ByCount {
    const std::vector<TermCount>* terms;
    bool operator()(std::uint32_t a, std::uint32_t b) const {
        const auto& x = (*terms)[a];
        const auto& y = (*terms)[b];
        return x.count != y.count ? x.count > y.count : a < b;
    }
};

} // namespace

SuggestIndex SuggestIndex::build(const Xapian::Database& db, std::uint32_t min_count) {
    std::vector<TermCount> terms;
    for (auto it = db.allterms_begin(); it != db.allterms_end();) {
        const std::string term = *it;
        if (!term.empty() && term[0] >= 'A' && term[0] <= 'Z') {
            // Prefixed terms (Q ids, S titles, Z stems, X... fields) sort together: jump past.
            it.skip_to("[");
            continue;
        }
        const Xapian::doccount freq = it.get_termfreq();
        if (freq >= min_count && term.size() <= kMaxTermBytes && !digits_only(term)) {
            terms.push_back(TermCount{term, static_cast<std::uint32_t>(
                                                std::min<Xapian::doccount>(freq, std::numeric_limits<std::uint32_t>::max()))});
        }
        ++it;
    }
    SuggestIndex index;
    index.terms_ = std::move(terms); // allterms are already sorted and unique
    index.precompute();
    return index;
}

SuggestIndex SuggestIndex::from_terms(std::vector<TermCount> terms) {
    std::sort(terms.begin(), terms.end(), [](const TermCount& a, const TermCount& b) {
        return a.term != b.term ? a.term < b.term : a.count > b.count;
    });
    terms.erase(std::unique(terms.begin(), terms.end(),
                            [](const TermCount& a, const TermCount& b) { return a.term == b.term; }),
                terms.end());
    SuggestIndex index;
    index.terms_ = std::move(terms);
    index.precompute();
    return index;
}

void SuggestIndex::precompute() {
    const ByCount by_count{&terms_};
    for (std::size_t len = 1; len <= kPrecomputedPrefixBytes; ++len) {
        std::size_t i = 0;
        while (i < terms_.size()) {
            if (terms_[i].term.size() < len) {
                ++i;
                continue;
            }
            const std::string_view prefix = std::string_view(terms_[i].term).substr(0, len);
            std::size_t j = i;
            std::vector<std::uint32_t> group;
            while (j < terms_.size() && starts_with(terms_[j].term, prefix)) {
                group.push_back(static_cast<std::uint32_t>(j));
                ++j;
            }
            const std::size_t keep = std::min(group.size(), kTopPerPrefix);
            std::partial_sort(group.begin(), group.begin() + static_cast<std::ptrdiff_t>(keep),
                              group.end(), by_count);
            group.resize(keep);
            top_.emplace(std::string(prefix), std::move(group));
            i = j;
        }
    }
}

SuggestIndex::Range SuggestIndex::range(std::string_view prefix) const {
    const auto first = std::lower_bound(terms_.begin(), terms_.end(), prefix,
                                        [](const TermCount& t, std::string_view p) { return t.term < p; });
    const auto last = std::partition_point(first, terms_.end(), [prefix](const TermCount& t) {
        return starts_with(t.term, prefix);
    });
    return {static_cast<std::size_t>(first - terms_.begin()),
            static_cast<std::size_t>(last - terms_.begin())};
}

std::vector<TermCount> SuggestIndex::complete(std::string_view prefix, std::size_t limit) const {
    std::vector<TermCount> out;
    if (prefix.empty() || limit == 0) {
        return out;
    }
    if (prefix.size() <= kPrecomputedPrefixBytes && limit <= kTopPerPrefix) {
        const auto it = top_.find(std::string(prefix));
        if (it != top_.end()) {
            for (std::size_t k = 0; k < it->second.size() && k < limit; ++k) {
                out.push_back(terms_[it->second[k]]);
            }
        }
        return out;
    }
    const auto [first, last] = range(prefix);
    std::vector<std::uint32_t> idx;
    idx.reserve(last - first);
    for (std::size_t i = first; i < last; ++i) {
        idx.push_back(static_cast<std::uint32_t>(i));
    }
    const std::size_t keep = std::min(idx.size(), limit);
    std::partial_sort(idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(keep), idx.end(),
                      ByCount{&terms_});
    for (std::size_t k = 0; k < keep; ++k) {
        out.push_back(terms_[idx[k]]);
    }
    return out;
}

std::vector<TermCount> SuggestIndex::fuzzy_complete(std::string_view word, unsigned max_distance,
                                                    std::size_t limit, std::size_t max_visits) const {
    std::vector<TermCount> out;
    const std::size_t m = word.size();
    if (m == 0 || limit == 0 || terms_.empty()) {
        return out;
    }
    const int d = static_cast<int>(max_distance);
    const std::size_t max_depth = m + max_distance; // deeper prefixes are > d edits away
    // rows[k][j]: edit distance between word[0..j) and the current term's first k bytes.
    std::vector<std::vector<int>> rows(max_depth + 1, std::vector<int>(m + 1));
    // best[k]: min over k' <= k of rows[k'][m], the distance of the best prefix so far.
    std::vector<int> best(max_depth + 1);
    for (std::size_t j = 0; j <= m; ++j) {
        rows[0][j] = static_cast<int>(j);
    }
    best[0] = static_cast<int>(m);
    std::size_t valid = 0; // rows[0..valid] hold the prefix of `prev`
    std::string_view prev;

    struct Candidate {
        int distance;
        std::uint32_t index;
    };
    std::vector<Candidate> found;
    // The first character is taken as typed (as Lucene's fuzzy prefix_length = 1): typos there
    // are rare, and anchoring it shrinks the walk from the whole vocabulary to one letter.
    std::size_t first_char = 1;
    while (first_char < m && (static_cast<unsigned char>(word[first_char]) & 0xC0) == 0x80) {
        ++first_char;
    }
    const auto [begin, end] = range(word.substr(0, first_char));
    std::size_t visits = 0;
    std::size_t i = begin;
    while (i < end && visits < max_visits) {
        ++visits;
        const std::string_view t = terms_[i].term;
        std::size_t lcp = 0;
        while (lcp < t.size() && lcp < prev.size() && t[lcp] == prev[lcp]) {
            ++lcp;
        }
        std::size_t k = std::min(lcp, valid);
        const std::size_t limit_depth = std::min(t.size(), max_depth);
        bool pruned = false;
        while (k < limit_depth) {
            const auto& above = rows[k];
            auto& row = rows[k + 1];
            const char c = t[k];
            row[0] = static_cast<int>(k + 1);
            int row_min = row[0];
            for (std::size_t j = 1; j <= m; ++j) {
                const int sub = above[j - 1] + (word[j - 1] == c ? 0 : 1);
                row[j] = std::min({sub, above[j] + 1, row[j - 1] + 1});
                row_min = std::min(row_min, row[j]);
            }
            best[k + 1] = std::min(best[k], row[m]);
            ++k;
            if (row_min > d) {
                pruned = true;
                break;
            }
        }
        valid = k;
        prev = t;
        if (pruned && best[k - 1] > d) {
            // No term below t[0..k) can come within d edits: skip the whole subtree.
            const std::string_view subtree = t.substr(0, k);
            const auto next = std::partition_point(
                terms_.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                terms_.begin() + static_cast<std::ptrdiff_t>(end),
                [subtree](const TermCount& x) { return starts_with(x.term, subtree); });
            i = static_cast<std::size_t>(next - terms_.begin());
            continue;
        }
        const int dist = pruned ? best[k - 1] : best[k];
        if (dist <= d && !starts_with(t, word)) {
            found.push_back(Candidate{dist, static_cast<std::uint32_t>(i)});
        }
        ++i;
    }
    const std::size_t keep = std::min(found.size(), limit);
    std::partial_sort(found.begin(), found.begin() + static_cast<std::ptrdiff_t>(keep), found.end(),
                      [this](const Candidate& a, const Candidate& b) {
                          if (a.distance != b.distance) {
                              return a.distance < b.distance;
                          }
                          const auto ca = terms_[a.index].count;
                          const auto cb = terms_[b.index].count;
                          return ca != cb ? ca > cb : a.index < b.index;
                      });
    for (std::size_t n = 0; n < keep; ++n) {
        out.push_back(terms_[found[n].index]);
    }
    return out;
}

std::uint32_t SuggestIndex::count(std::string_view term) const {
    const auto it = std::lower_bound(terms_.begin(), terms_.end(), term,
                                     [](const TermCount& t, std::string_view p) { return t.term < p; });
    return it != terms_.end() && it->term == term ? it->count : 0;
}

} // namespace gazette::searchd
