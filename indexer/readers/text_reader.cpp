#include "indexer/readers/text_reader.hpp"

#include "common/text.hpp"
#include "indexer/readers/article_ids.hpp"
#include "indexer/readers/loose_date.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <vector>

namespace gazette::indexer {

namespace {

// U+2026 HORIZONTAL ELLIPSIS.
constexpr std::string_view ellipsis = "\xE2\x80\xA6";

/// Paragraph-level meta lines are only looked for among this many short paragraphs at the top.
constexpr std::size_t max_meta_paragraphs = 6;
/// A paragraph longer than this is body text: the byline search stops there.
constexpr std::size_t max_meta_bytes = 300;

struct Paragraph {
    std::string text;
    bool markdown_heading = false; ///< "# ..." line: a heading by markup, not by guess
    bool single_line = true;
};

bool is_ascii_upper(char c) noexcept {
    return c >= 'A' && c <= 'Z';
}
bool is_ascii_lower(char c) noexcept {
    return c >= 'a' && c <= 'z';
}
bool is_ascii_digit(char c) noexcept {
    return c >= '0' && c <= '9';
}
bool is_ascii_alnum(char c) noexcept {
    return is_ascii_upper(c) || is_ascii_lower(c) || is_ascii_digit(c);
}

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (auto& c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

/// Length in bytes of the UTF-8 sequence starting with `lead` (1 for ASCII or invalid).
std::size_t utf8_seq_len(char lead) noexcept {
    const auto u = static_cast<unsigned char>(lead);
    if (u >= 0xF0) {
        return 4;
    }
    if (u >= 0xE0) {
        return 3;
    }
    if (u >= 0xC0) {
        return 2;
    }
    return 1;
}

/// Removes closing quotes and brackets from the end, so that `He said "no."` ends with '.'.
std::string_view strip_closers(std::string_view s) {
    for (;;) {
        if (s.ends_with("\xE2\x80\x9D") || s.ends_with("\xE2\x80\x99")) { // U+201D, U+2019
            s.remove_suffix(3);
        } else if (!s.empty() && (s.back() == '"' || s.back() == '\'' || s.back() == ')')) {
            s.remove_suffix(1);
        } else {
            return s;
        }
    }
}

bool ends_sentence(std::string_view s) {
    s = strip_closers(text::trim(s));
    return !s.empty() && (s.back() == '.' || s.back() == '!' || s.back() == '?' || s.back() == ':');
}

std::vector<std::string_view> words_of(std::string_view s) {
    std::vector<std::string_view> words;
    for (auto w : text::split(s, ' ')) {
        if (!w.empty()) {
            words.push_back(w);
        }
    }
    return words;
}

bool is_small_word(std::string_view word) {
    static constexpr std::array<std::string_view, 40> small = {
        "a",      "an",      "the",     "and",   "or",    "but",    "nor",     "of",
        "in",     "on",      "at",      "to",    "for",   "with",   "by",      "from",
        "as",     "vs",      "via",     "into",  "onto",  "over",   "under",   "amid",
        "amidst", "between", "against", "about", "after", "before", "without", "within",
        "is",     "are",     "its",     "than",  "up",    "out",    "off",     "per"};
    std::string w = lower_ascii(word);
    while (!w.empty() && !is_ascii_alnum(w.back())) {
        w.pop_back();
    }
    return std::find(small.begin(), small.end(), w) != small.end();
}

/// Whether the word's first letter is a capital. Non-ASCII letters are capitals when case
/// folding changes them; uncased scripts count as not capitalised.
enum class WordCase { capital, lower, none };
WordCase word_case(std::string_view word) {
    for (std::size_t i = 0; i < word.size();) {
        const char c = word[i];
        if (is_ascii_upper(c) || is_ascii_digit(c)) {
            return WordCase::capital;
        }
        if (is_ascii_lower(c)) {
            return WordCase::lower;
        }
        const std::size_t len = utf8_seq_len(c);
        if (len > 1) {
            const std::string_view cp = word.substr(i, len);
            // Punctuation such as curly quotes folds to itself too; skip the common ones.
            if (cp == "\xE2\x80\x9C" || cp == "\xE2\x80\x98" || cp == "\xC2\xAB") {
                i += len;
                continue;
            }
            return text::fold_case(cp) != cp ? WordCase::capital : WordCase::lower;
        }
        ++i; // ASCII punctuation before the first letter: ( " ' [
    }
    return WordCase::none;
}

bool looks_like_title(const Paragraph& p) {
    if (!p.single_line) {
        return false;
    }
    const std::string_view t = text::trim(p.text);
    if (t.empty() || text::utf8_length(t) > 200 || words_of(t).size() > 30) {
        return false;
    }
    const std::string_view end = strip_closers(t);
    if (end.empty() || end.back() == '.' || end.back() == ',' || end.back() == ';') {
        return false;
    }
    return t.find(". ") == std::string_view::npos;
}

// ---- bylines and date lines ----

bool is_name_particle(std::string_view w) {
    static constexpr std::array<std::string_view, 12> particles = {
        "de", "van", "von", "der", "den", "da", "di", "du", "al", "bin", "la", "le"};
    return std::find(particles.begin(), particles.end(), w) != particles.end();
}

/// Splits "Jane Doe, John Roe and Ann Poe" into names; nullopt when any piece is not a name.
std::optional<std::vector<std::string>> parse_names(std::string_view s) {
    std::string normalised(text::trim(s));
    for (const std::string_view sep : {" and ", " & ", " And "}) {
        for (std::size_t pos; (pos = normalised.find(sep)) != std::string::npos;) {
            normalised.replace(pos, sep.size(), ",");
        }
    }
    std::vector<std::string> names;
    for (auto piece : text::split(normalised, ',')) {
        piece = text::trim(piece);
        if (piece.empty()) {
            continue;
        }
        const auto words = words_of(piece);
        if (words.empty() || words.size() > 5 || piece.size() > 60) {
            return std::nullopt;
        }
        for (const auto w : words) {
            if (std::any_of(w.begin(), w.end(), is_ascii_digit)) {
                return std::nullopt;
            }
            if (word_case(w) != WordCase::capital && !is_name_particle(w)) {
                return std::nullopt;
            }
        }
        names.emplace_back(piece);
    }
    if (names.empty()) {
        return std::nullopt;
    }
    return names;
}

struct Meta {
    std::vector<std::string> authors;
    std::string date;
};

/// Removes the first matching prefix (compared case-insensitively); true when one matched.
bool strip_prefix(std::string_view& s, std::initializer_list<std::string_view> prefixes) {
    const std::string lower = lower_ascii(s.substr(0, std::min<std::size_t>(s.size(), 24)));
    for (const auto prefix : prefixes) {
        if (std::string_view(lower).starts_with(prefix)) {
            s = text::trim(s.substr(prefix.size()));
            return true;
        }
    }
    return false;
}

/// Case-insensitive find of an ASCII needle.
std::size_t find_word(std::string_view hay, std::string_view needle) {
    const std::string lower = lower_ascii(hay);
    return lower.find(needle);
}

bool parse_meta_part(std::string_view part, Meta& meta) {
    part = text::trim(part);
    if (part.empty()) {
        return true;
    }
    strip_prefix(part,
                 {"published on ",
                  "published: ",
                  "published ",
                  "posted on ",
                  "updated on ",
                  "updated: ",
                  "updated ",
                  "last updated: ",
                  "last updated ",
                  "date: ",
                  "on "});
    if (auto d = parse_loose_date(part)) {
        meta.date = *d;
        return true;
    }
    if (strip_prefix(part,
                     {"by ", "written by ", "posted by ", "words by ", "author: ", "authors: "})) {
        std::string_view names = part;
        // "By Jane Doe on May 16, 2024"
        if (const auto on = find_word(part, " on "); on != std::string::npos) {
            if (auto d = parse_loose_date(part.substr(on + 4))) {
                meta.date = *d;
                names = part.substr(0, on);
            }
        }
        if (auto parsed = parse_names(names)) {
            meta.authors.insert(meta.authors.end(), parsed->begin(), parsed->end());
            return true;
        }
        return false;
    }
    // "May 16, 2024 by Jane Doe"
    if (const auto by = find_word(part, " by "); by != std::string::npos) {
        auto d = parse_loose_date(part.substr(0, by));
        auto names = parse_names(part.substr(by + 4));
        if (d && names) {
            meta.date = *d;
            meta.authors.insert(meta.authors.end(), names->begin(), names->end());
            return true;
        }
    }
    return false;
}

/// A byline or date line ("By Jane Doe | May 16, 2024"): fills `meta` and returns true only
/// when every part of the line is understood, so prose is never mistaken for a byline.
bool parse_meta_line(std::string_view line, Meta& meta) {
    std::string s(line);
    for (const std::string_view sep :
         {" | ", " \xC2\xB7 ", " \xE2\x80\xA2 ", " \xE2\x80\x94 ", " \xE2\x80\x93 ", " - "}) {
        for (std::size_t pos; (pos = s.find(sep)) != std::string::npos;) {
            s.replace(pos, sep.size(), "\n");
        }
    }
    Meta found;
    for (const auto part : text::split(s, '\n')) {
        if (!parse_meta_part(part, found)) {
            return false;
        }
    }
    if (found.authors.empty() && found.date.empty()) {
        return false;
    }
    meta.authors.insert(meta.authors.end(), found.authors.begin(), found.authors.end());
    if (meta.date.empty()) {
        meta.date = found.date;
    }
    return true;
}

/// Byte offset just past the `n`-th code point of `s` (or s.size()).
std::size_t offset_of_code_point(std::string_view s, std::size_t n) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
            if (count == n) {
                return i;
            }
            ++count;
        }
    }
    return s.size();
}

bool is_abbreviation(std::string_view before) {
    // "U.S." style initials and common titles do not end a sentence.
    std::size_t start = before.size();
    while (start > 0 && before[start - 1] != ' ') {
        --start;
    }
    const std::string word = lower_ascii(before.substr(start));
    if (word.size() == 1 || (word.size() >= 2 && word[word.size() - 2] == '.')) {
        return true;
    }
    static constexpr std::array<std::string_view, 9> abbrevs = {
        "mr", "mrs", "ms", "dr", "st", "vs", "prof", "gen", "jr"};
    return std::find(abbrevs.begin(), abbrevs.end(), word) != abbrevs.end();
}

std::size_t line_of_offset(std::string_view s, std::size_t offset) {
    return static_cast<std::size_t>(
               std::count(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(offset), '\n')) +
           1;
}

} // namespace

bool looks_like_heading(std::string_view line) {
    const std::string_view t = text::trim(line);
    if (t.empty() || t.find('\n') != std::string_view::npos || text::utf8_length(t) > 100) {
        return false;
    }
    const char last = t.back();
    if (last == '.' || last == ',' || last == ';' || last == ':') {
        return false;
    }
    if (t.find(". ") != std::string_view::npos) {
        return false;
    }
    const auto words = words_of(t);
    if (words.empty() || words.size() > 12) {
        return false;
    }
    bool has_capital = false;
    for (std::size_t i = 0; i < words.size(); ++i) {
        switch (word_case(words[i])) {
        case WordCase::capital: has_capital = true; break;
        case WordCase::lower:
            if (i == 0 || !is_small_word(words[i])) {
                return false;
            }
            break;
        case WordCase::none: break; // "&", "-", "--"
        }
    }
    return has_capital;
}

std::string title_from_first_sentence(std::string_view paragraph, std::size_t max_chars) {
    const std::string_view p = text::trim(paragraph);
    std::size_t end = p.size();
    for (std::size_t i = 0; i + 1 < p.size(); ++i) {
        const char c = p[i];
        if ((c != '.' && c != '!' && c != '?') || p[i + 1] != ' ') {
            continue;
        }
        std::size_t j = i + 1;
        while (j < p.size() && p[j] == ' ') {
            ++j;
        }
        const bool next_starts_sentence = j >= p.size() || is_ascii_upper(p[j]) ||
                                          is_ascii_digit(p[j]) || p[j] == '"' ||
                                          static_cast<unsigned char>(p[j]) >= 0x80;
        if (!next_starts_sentence || (c == '.' && is_abbreviation(p.substr(0, i)))) {
            continue;
        }
        end = (c == '.') ? i : i + 1;
        break;
    }
    std::string_view sentence = text::trim(p.substr(0, end));
    if (end == p.size() && sentence.ends_with('.')) {
        sentence.remove_suffix(1);
    }
    if (text::utf8_length(sentence) <= max_chars) {
        return std::string(sentence);
    }
    std::string_view cut = sentence.substr(0, offset_of_code_point(sentence, max_chars));
    // Prefer a word boundary, unless that would leave almost nothing (one huge "word").
    if (const auto space = cut.rfind(' ');
        space != std::string_view::npos && space > cut.size() / 2) {
        cut = cut.substr(0, space);
    }
    while (!cut.empty() && (cut.back() == ' ' || cut.back() == ',' || cut.back() == ';' ||
                            cut.back() == ':' || cut.back() == '-')) {
        cut.remove_suffix(1);
    }
    return std::string(cut) + std::string(ellipsis);
}

Result<Article> read_scraped_text(std::string_view input,
                                  const BoilerplateFilter& boilerplate,
                                  std::string_view fallback_id,
                                  std::size_t max_title_chars) {
    if (const auto bad = text::first_invalid_utf8(input); bad != std::string_view::npos) {
        return Error(ErrorCode::bad_utf8,
                     fmt::format("invalid UTF-8 at line {} (byte offset {})",
                                 line_of_offset(input, bad),
                                 bad));
    }
    if (input.starts_with("\xEF\xBB\xBF")) {
        input.remove_prefix(3);
    }

    // 1. Lines -> paragraphs, dropping boilerplate.
    std::vector<Paragraph> paras;
    bool blank_before = true;
    std::size_t pos = 0;
    while (pos <= input.size()) {
        const std::size_t nl = input.find('\n', pos);
        const std::string_view raw =
            input.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
        pos = (nl == std::string_view::npos) ? input.size() + 1 : nl + 1;

        std::string_view line = text::trim(raw);
        if (line.empty()) {
            blank_before = true;
            continue;
        }
        if (const auto m = boilerplate.match(line); m.matched) {
            if (m.action == BoilerplateAction::cut_rest) {
                break;
            }
            blank_before = true; // a removed widget separates what surrounds it
            continue;
        }
        bool markdown = false;
        if (line.front() == '#') {
            const std::size_t hashes = line.find_first_not_of('#');
            if (hashes != std::string_view::npos && hashes <= 6 && line[hashes] == ' ') {
                line = text::trim(line.substr(hashes));
                markdown = true;
            }
        }
        const bool starts_new = blank_before || paras.empty() || markdown ||
                                paras.back().markdown_heading || ends_sentence(paras.back().text) ||
                                looks_like_heading(line) ||
                                (paras.back().single_line && looks_like_heading(paras.back().text));
        if (starts_new) {
            paras.push_back({text::collapse_whitespace(line), markdown, true});
        } else {
            paras.back().text += ' ';
            paras.back().text += text::collapse_whitespace(line);
            paras.back().single_line = false;
        }
        blank_before = false;
    }

    // 2. Byline and date lines near the top.
    Meta meta;
    for (std::size_t i = 0, seen = 0; i < paras.size() && seen < max_meta_paragraphs;) {
        if (paras[i].text.size() > max_meta_bytes) {
            break;
        }
        if (!paras[i].markdown_heading && parse_meta_line(paras[i].text, meta)) {
            paras.erase(paras.begin() + static_cast<std::ptrdiff_t>(i));
            continue;
        }
        ++i;
        ++seen;
    }

    // 3. Title: a title-like first line, else the first sentence (which stays in the body).
    Article article;
    std::size_t first_heading_index = 1;
    if (!paras.empty()) {
        if (paras.size() > 1 && (paras[0].markdown_heading || looks_like_title(paras[0]))) {
            article.title = paras[0].text;
            paras.erase(paras.begin());
            first_heading_index = 0;
        } else {
            article.title = title_from_first_sentence(paras[0].text, max_title_chars);
        }
    }

    // 4. Section headings: heading-like lines that more text follows.
    std::vector<bool> heading(paras.size(), false);
    bool text_follows = false;
    for (std::size_t i = paras.size(); i-- > 0;) {
        const bool candidate = i >= first_heading_index &&
                               (paras[i].markdown_heading ||
                                (paras[i].single_line && looks_like_heading(paras[i].text)));
        if (candidate && text_follows) {
            heading[i] = true;
        } else if (!candidate) {
            text_follows = true;
        }
    }

    for (std::size_t i = 0; i < paras.size(); ++i) {
        if (!article.body.empty()) {
            article.body += "\n\n";
        }
        article.body += paras[i].text;
        if (heading[i]) {
            article.headings.push_back(paras[i].text);
        }
    }
    article.authors = std::move(meta.authors);
    article.date = std::move(meta.date);
    article.id = fallback_id.empty() ? content_hash_id(article.title + "\n" + article.body)
                                     : std::string(fallback_id);
    if (auto r = normalise_article(article); !r) {
        return r.error();
    }
    return article;
}

} // namespace gazette::indexer
