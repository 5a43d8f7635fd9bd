#include "searchd/search/snippet.hpp"

#include <algorithm>
#include <cstring>

namespace gazette::searchd {
namespace {

constexpr std::string_view kEllipsis = "\xE2\x80\xA6"; // U+2026
constexpr std::size_t kHeadBytes = 3;

bool is_ascii_alnum(unsigned char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_space(unsigned char c) noexcept {
    return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

bool is_continuation(unsigned char c) noexcept { return (c & 0xC0U) == 0x80U; }

/// Decodes the code point at `p` (non-ASCII lead byte); sets `len` to its byte length.
unsigned decode(const char* p, std::size_t avail, std::size_t& len) noexcept {
    Xapian::Utf8Iterator it(p, avail);
    const char* start = it.raw();
    unsigned cp = *it;
    ++it;
    len = it == Xapian::Utf8Iterator() ? avail : static_cast<std::size_t>(it.raw() - start);
    if (len == 0) {
        len = 1;
    }
    return cp;
}

/// Strips Xapian's field prefix from a term. Returns false when the prefix is not one of
/// the free-text prefixes of the schema (so the term is a boolean filter term).
bool strip_text_prefix(std::string_view& term, bool& stemmed) {
    stemmed = false;
    if (!term.empty() && term.front() == 'Z') {
        stemmed = true;
        term.remove_prefix(1);
    }
    std::size_t upper = 0;
    while (upper < term.size() && term[upper] >= 'A' && term[upper] <= 'Z') {
        ++upper;
    }
    const std::string_view prefix = term.substr(0, upper);
    if (!(prefix.empty() || prefix == "S" || prefix == "XA" || prefix == "XS")) {
        return false;
    }
    term.remove_prefix(upper);
    if (!term.empty() && term.front() == ':') {
        term.remove_prefix(1);
    }
    return !term.empty();
}

/// Appends `s` HTML-escaped with every run of whitespace collapsed to one space.
void append_escaped_collapsed(std::string& out, std::string_view s) {
    bool in_space = !out.empty() && out.back() == ' ';
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (is_space(c)) {
            if (!in_space) {
                out.push_back(' ');
                in_space = true;
            }
            continue;
        }
        in_space = false;
        switch (ch) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out.push_back(ch);
        }
    }
}

/// Byte offset reached by walking back `chars` code points from `pos`, not below `floor`.
std::size_t back_chars(std::string_view s, std::size_t pos, std::size_t chars, std::size_t floor) {
    while (pos > floor && chars > 0) {
        --pos;
        while (pos > floor && is_continuation(static_cast<unsigned char>(s[pos]))) {
            --pos;
        }
        --chars;
    }
    return pos;
}

/// Byte offset reached by walking forward `chars` code points from `pos`.
std::size_t forward_chars(std::string_view s, std::size_t pos, std::size_t chars) {
    while (pos < s.size() && chars > 0) {
        ++pos;
        while (pos < s.size() && is_continuation(static_cast<unsigned char>(s[pos]))) {
            ++pos;
        }
        --chars;
    }
    return pos;
}

bool is_sentence_end(char c) noexcept { return c == '.' || c == '!' || c == '?'; }

/// Whether a boundary between words lies at byte `pos` (ASCII view: good enough, since
/// multi-byte sequences never contain ASCII bytes).
bool is_word_byte(std::string_view s, std::size_t pos) {
    const auto c = static_cast<unsigned char>(s[pos]);
    return c >= 0x80 || is_ascii_alnum(c);
}

} // namespace

SnippetGenerator::SnippetGenerator(const std::vector<std::string>& exact,
                                   const std::vector<std::string>& stems,
                                   const std::vector<std::string>& wildcard_roots,
                                   Xapian::Stem stemmer,
                                   const std::vector<std::vector<std::string>>& phrases)
    : stemmer_(std::move(stemmer)) {
    // One concept per distinct stem; exact words map to their stem's concept so that
    // "pipeline" and "pipelines" count as one query term when picking the window.
    for (const auto& s : stems) {
        if (!s.empty() && stems_.find(s) == stems_.end()) {
            stems_.emplace(s, static_cast<int>(concepts_++));
            std::string head = s.substr(0, std::min(kHeadBytes, s.size()));
            if (std::find(stem_heads_.begin(), stem_heads_.end(), head) == stem_heads_.end()) {
                stem_heads_.push_back(std::move(head));
            }
        }
    }
    for (const auto& e : exact) {
        if (e.empty() || exact_.find(e) != exact_.end()) {
            continue;
        }
        const std::string stem = stemmer_(e);
        auto it = stems_.find(stem);
        const int id = it != stems_.end() ? it->second : static_cast<int>(concepts_++);
        exact_.emplace(e, id);
    }
    for (const auto& r : wildcard_roots) {
        if (!r.empty()) {
            roots_.emplace_back(r, static_cast<int>(concepts_++));
        }
    }
    // One concept per distinct phrase (a phrase is one query term when picking the window).
    for (const auto& words : phrases) {
        if (words.size() < 2) {
            continue;
        }
        Phrase phrase{{}, static_cast<int>(concepts_)};
        for (const auto& w : words) {
            auto [it, added] = phrase_words_.emplace(w, static_cast<int>(phrase_words_.size()));
            phrase.word_ids.push_back(it->second);
        }
        const bool repeat = std::any_of(phrases_.begin(), phrases_.end(),
                                        [&](const Phrase& p) { return p.word_ids == phrase.word_ids; });
        if (!repeat) {
            phrases_.push_back(std::move(phrase));
            ++concepts_;
        }
    }
}

SnippetGenerator SnippetGenerator::from_query(const Xapian::Query& query,
                                              const std::vector<std::string>& wildcard_roots,
                                              Xapian::Stem stemmer) {
    std::vector<std::string> exact;
    std::vector<std::string> stems;
    std::vector<std::vector<std::string>> phrases;
    const auto add_term = [&](const std::string& term) {
        std::string_view t = term;
        bool stemmed = false;
        if (strip_text_prefix(t, stemmed)) {
            (stemmed ? stems : exact).emplace_back(t);
        }
    };
    // Words of a phrase go to `phrases` (in order); every other term is a word of its own.
    const auto walk = [&](const auto& self, const Xapian::Query& q) -> void {
        const std::size_t n = q.get_num_subqueries();
        if (q.get_type() == Xapian::Query::OP_PHRASE) {
            std::vector<std::string> words;
            bool plain = true;
            for (std::size_t i = 0; i < n && plain; ++i) {
                const Xapian::Query sub = q.get_subquery(i);
                plain = sub.get_type() == Xapian::Query::LEAF_TERM;
                if (plain) {
                    const std::string term = *sub.get_terms_begin();
                    std::string_view t = term;
                    bool stemmed = false;
                    plain = strip_text_prefix(t, stemmed) && !stemmed;
                    words.emplace_back(t);
                }
            }
            if (plain) {
                phrases.push_back(std::move(words));
                return;
            }
            // A phrase of something else than words (a synonym group): its words on their own.
        }
        if (n == 0) {
            for (auto it = q.get_terms_begin(); it != q.get_terms_end(); ++it) {
                add_term(*it);
            }
            return;
        }
        for (std::size_t i = 0; i < n; ++i) {
            self(self, q.get_subquery(i));
        }
    };
    walk(walk, query);
    return SnippetGenerator(exact, stems, wildcard_roots, std::move(stemmer), phrases);
}

std::vector<std::string> SnippetGenerator::wildcard_roots(std::string_view raw_query) {
    std::vector<std::string> roots;
    std::size_t i = 0;
    while (i < raw_query.size()) {
        const std::size_t star = raw_query.find('*', i);
        if (star == std::string_view::npos) {
            break;
        }
        std::size_t b = star;
        while (b > 0) {
            const auto c = static_cast<unsigned char>(raw_query[b - 1]);
            if (is_space(c) || c == '(' || c == ')' || c == '"' || c == ':' || c == '+' ||
                c == '-') {
                break;
            }
            --b;
        }
        if (b < star) {
            std::string root;
            const std::string_view word = raw_query.substr(b, star - b);
            Xapian::Utf8Iterator it(word.data(), word.size());
            for (; it != Xapian::Utf8Iterator(); ++it) {
                Xapian::Unicode::append_utf8(root, Xapian::Unicode::tolower(*it));
            }
            roots.push_back(std::move(root));
        }
        i = star + 1;
    }
    return roots;
}

int SnippetGenerator::classify(std::string_view lower) const {
    if (auto it = exact_.find(lower); it != exact_.end()) {
        return it->second;
    }
    for (const auto& [root, id] : roots_) {
        if (lower.size() >= root.size() && lower.compare(0, root.size(), root) == 0) {
            return id;
        }
    }
    if (stems_.empty()) {
        return -1;
    }
    bool candidate = false;
    for (const auto& head : stem_heads_) {
        if (lower.size() >= head.size() && lower.compare(0, head.size(), head) == 0) {
            candidate = true;
            break;
        }
    }
    if (!candidate) {
        return -1;
    }
    const std::string stem = stemmer_(std::string(lower));
    if (auto it = stems_.find(stem); it != stems_.end()) {
        return it->second;
    }
    return -1;
}

void SnippetGenerator::add_phrase_matches(const std::vector<PhraseWord>& seen, std::vector<Match>& out) const {
    std::vector<Match> spans;
    for (const Phrase& phrase : phrases_) {
        const std::size_t len = phrase.word_ids.size();
        for (std::size_t k = 0; k + len <= seen.size(); ++k) {
            bool match = true;
            for (std::size_t w = 0; w < len && match; ++w) {
                match = seen[k + w].word_id == phrase.word_ids[w] &&
                        seen[k + w].word_no == seen[k].word_no + w;
            }
            if (match) {
                const Match& first = seen[k].span;
                const Match& last = seen[k + len - 1].span;
                spans.push_back(Match{first.byte_begin, last.byte_end, first.char_begin, last.char_end,
                                      static_cast<std::uint32_t>(phrase.concept_id)});
            }
        }
    }
    if (spans.empty()) {
        return;
    }
    // Merge in text order; a phrase span replaces the word matches inside it, and of two
    // overlapping phrase spans the earlier wins.
    std::sort(spans.begin(), spans.end(), [](const Match& a, const Match& b) { return a.byte_begin < b.byte_begin; });
    std::vector<Match> merged;
    merged.reserve(out.size() + spans.size());
    std::size_t w = 0;
    std::uint32_t covered_to = 0;
    for (const Match& span : spans) {
        if (span.byte_begin < covered_to) {
            continue;
        }
        while (w < out.size() && out[w].byte_begin < span.byte_begin) {
            if (out[w].byte_begin >= covered_to) {
                merged.push_back(out[w]);
            }
            ++w;
        }
        while (w < out.size() && out[w].byte_begin < span.byte_end) {
            ++w; // inside the phrase
        }
        merged.push_back(span);
        covered_to = span.byte_end;
    }
    for (; w < out.size(); ++w) {
        merged.push_back(out[w]);
    }
    out = std::move(merged);
}

void SnippetGenerator::find_matches(std::string_view body, std::vector<Match>& out,
                                    std::size_t max_bytes) const {
    const std::size_t n = std::min(body.size(), max_bytes);
    const char* data = body.data();
    std::string lower;
    std::size_t i = 0;
    std::uint32_t chars = 0;
    std::uint32_t word_no = 0;
    std::vector<PhraseWord> seen; // words of phrases, for add_phrase_matches
    const bool with_phrases = !phrases_.empty();
    while (i < n) {
        auto c = static_cast<unsigned char>(data[i]);
        if (c < 0x80) {
            if (!is_ascii_alnum(c)) {
                ++i;
                ++chars;
                continue;
            }
        } else {
            std::size_t len = 0;
            const unsigned cp = decode(data + i, n - i, len);
            if (!Xapian::Unicode::is_wordchar(cp)) {
                i += len;
                ++chars;
                continue;
            }
        }
        // A word starts at i: collect it lower-cased.
        const std::size_t word_begin = i;
        const std::uint32_t char_begin = chars;
        lower.clear();
        while (i < n) {
            c = static_cast<unsigned char>(data[i]);
            if (c < 0x80) {
                if (is_ascii_alnum(c)) {
                    lower.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
                    ++i;
                    ++chars;
                    continue;
                }
                // Apostrophe inside a word ("russia's"), as the term generator keeps it.
                if (c == '\'' && i + 1 < n && is_ascii_alnum(static_cast<unsigned char>(data[i + 1]))) {
                    lower.push_back('\'');
                    ++i;
                    ++chars;
                    continue;
                }
                break;
            }
            std::size_t len = 0;
            const unsigned cp = decode(data + i, n - i, len);
            if (!Xapian::Unicode::is_wordchar(cp)) {
                break;
            }
            Xapian::Unicode::append_utf8(lower, Xapian::Unicode::tolower(cp));
            i += len;
            ++chars;
        }
        const Match span{static_cast<std::uint32_t>(word_begin), static_cast<std::uint32_t>(i), char_begin, chars, 0};
        const int id = classify(lower);
        if (id >= 0) {
            out.push_back(span);
            out.back().concept_id = static_cast<std::uint32_t>(id);
        }
        if (with_phrases) {
            if (auto it = phrase_words_.find(lower); it != phrase_words_.end()) {
                seen.push_back(PhraseWord{span, word_no, it->second});
            }
        }
        ++word_no;
    }
    if (with_phrases) {
        add_phrase_matches(seen, out);
    }
}

std::string SnippetGenerator::render(std::string_view body, std::size_t begin, std::size_t end,
                                     const std::vector<Match>& matches, bool lead_ellipsis,
                                     bool trail_ellipsis) const {
    std::string out;
    out.reserve((end - begin) + 64);
    if (lead_ellipsis) {
        out += kEllipsis;
        out.push_back(' ');
    }
    std::size_t pos = begin;
    for (const auto& m : matches) {
        if (m.byte_begin < begin || m.byte_end > end) {
            continue;
        }
        append_escaped_collapsed(out, body.substr(pos, m.byte_begin - pos));
        out += "<mark>";
        append_escaped_collapsed(out, body.substr(m.byte_begin, m.byte_end - m.byte_begin));
        out += "</mark>";
        pos = m.byte_end;
    }
    append_escaped_collapsed(out, body.substr(pos, end - pos));
    while (!out.empty() && out.back() == ' ') {
        out.pop_back();
    }
    if (trail_ellipsis) {
        out.push_back(' ');
        out += kEllipsis;
    }
    return out;
}

std::string SnippetGenerator::generate(std::string_view body, std::size_t max_chars) const {
    if (max_chars == 0 || body.empty()) {
        return {};
    }
    std::vector<Match> matches;
    if (!empty()) {
        find_matches(body, matches, body.size());
    }

    // Best window: most distinct concepts, then most occurrences; the earliest on ties.
    std::size_t best_i = 0;
    std::size_t best_j = 0;
    bool have_best = false;
    if (!matches.empty()) {
        std::vector<std::uint32_t> counts(concepts_, 0);
        std::size_t distinct = 0;
        std::size_t best_score = 0;
        std::size_t i = 0;
        for (std::size_t j = 0; j < matches.size(); ++j) {
            if (counts[matches[j].concept_id]++ == 0) {
                ++distinct;
            }
            while (i < j && matches[j].char_end - matches[i].char_begin > max_chars) {
                if (--counts[matches[i].concept_id] == 0) {
                    --distinct;
                }
                ++i;
            }
            const std::size_t score = distinct * 100000 + (j - i + 1);
            if (!have_best || score > best_score) {
                best_score = score;
                best_i = i;
                best_j = j;
                have_best = true;
            }
        }
    }

    std::size_t begin = 0;
    bool at_sentence = true;
    if (have_best) {
        const Match& first = matches[best_i];
        const Match& last = matches[best_j];
        const std::size_t span = last.char_end - first.char_begin;
        const std::size_t slack = max_chars > span ? max_chars - span : 0;
        // Prefer to start at a sentence beginning within 2/3 of the slack before the first
        // match; else centre the window and start at a word.
        const std::size_t lookback = back_chars(body, first.byte_begin, slack * 2 / 3, 0);
        std::size_t sentence = std::string_view::npos;
        for (std::size_t p = lookback; p < first.byte_begin; ++p) {
            if (p == 0 || body[p - 1] == '\n' ||
                (is_space(static_cast<unsigned char>(body[p])) && p > 0 && is_sentence_end(body[p - 1]))) {
                sentence = p;
                break;
            }
        }
        if (sentence != std::string_view::npos) {
            begin = sentence;
        } else {
            begin = back_chars(body, first.byte_begin, slack / 2, 0);
            at_sentence = begin == 0;
            // Do not start inside a word.
            while (begin > 0 && begin < first.byte_begin && is_word_byte(body, begin) &&
                   is_word_byte(body, begin - 1)) {
                ++begin;
            }
            while (begin < first.byte_begin && is_continuation(static_cast<unsigned char>(body[begin]))) {
                ++begin;
            }
        }
    }
    while (begin < body.size() && is_space(static_cast<unsigned char>(body[begin]))) {
        ++begin;
    }

    std::size_t end = forward_chars(body, begin, max_chars);
    if (end < body.size()) {
        // Cut at a word boundary: back up over a partial word.
        std::size_t cut = end;
        while (cut > begin && is_word_byte(body, cut) && is_word_byte(body, cut - 1)) {
            --cut;
        }
        while (cut > begin && is_continuation(static_cast<unsigned char>(body[cut]))) {
            --cut;
        }
        if (have_best && cut < matches[best_j].byte_end) {
            cut = matches[best_j].byte_end;
        }
        if (cut > begin) {
            end = cut;
        }
    }
    return render(body, begin, end, matches, !at_sentence && begin > 0, end < body.size());
}

std::string SnippetGenerator::highlight_all(std::string_view text) const {
    std::vector<Match> matches;
    if (!empty()) {
        find_matches(text, matches, text.size());
    }
    return render(text, 0, text.size(), matches, false, false);
}

} // namespace gazette::searchd
