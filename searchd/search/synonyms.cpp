#include "searchd/search/synonyms.hpp"

#include "common/text.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace gazette::searchd {
namespace {

bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::vector<std::string> words_of(std::string_view s) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && is_space(s[i])) {
            ++i;
        }
        const std::size_t start = i;
        while (i < s.size() && !is_space(s[i])) {
            ++i;
        }
        if (i > start) {
            out.push_back(text::fold_case(s.substr(start, i - start)));
        }
    }
    return out;
}

bool is_operator(std::string_view w) noexcept {
    return w == "AND" || w == "OR" || w == "NOT" || w == "XOR" || w == "NEAR" || w == "ADJ" ||
           w.rfind("NEAR/", 0) == 0 || w.rfind("ADJ/", 0) == 0;
}

bool is_proximity(std::string_view w) noexcept {
    return w == "NEAR" || w == "ADJ" || w.rfind("NEAR/", 0) == 0 || w.rfind("ADJ/", 0) == 0;
}

/// One piece of the query text: a word (candidate for expansion) or anything else, copied.
struct Token {
    std::string_view text;
    bool word = false;  ///< a bare run of non-space characters outside quotes and brackets
    bool plain = false; ///< a word that may be expanded
};

std::vector<Token> tokenize(std::string_view q) {
    std::vector<Token> out;
    std::size_t i = 0;
    while (i < q.size()) {
        const std::size_t start = i;
        if (is_space(q[i])) {
            while (i < q.size() && is_space(q[i])) {
                ++i;
            }
        } else if (q[i] == '"') {
            ++i;
            while (i < q.size() && q[i] != '"') {
                ++i;
            }
            if (i < q.size()) {
                ++i;
            }
        } else if (q[i] == '(' || q[i] == ')') {
            ++i;
        } else {
            while (i < q.size() && !is_space(q[i]) && q[i] != '(' && q[i] != ')' && q[i] != '"') {
                ++i;
            }
            const std::string_view w = q.substr(start, i - start);
            // A field prefix (title:x) or a word glued to a quote stays as written.
            const bool glued = i < q.size() && (q[i] == '"' || q[i] == '(');
            const bool plain = !glued && w.find(':') == std::string_view::npos && w.front() != '+' &&
                               w.front() != '-' && w.find('*') == std::string_view::npos &&
                               !is_operator(w);
            out.push_back(Token{w, true, plain});
            continue;
        }
        out.push_back(Token{q.substr(start, i - start), false, false});
    }
    // Words next to a proximity operator keep their meaning: NEAR takes single terms.
    for (std::size_t t = 0; t < out.size(); ++t) {
        if (out[t].word && is_proximity(out[t].text)) {
            for (std::size_t k = t; k-- > 0;) {
                if (out[k].word) {
                    out[k].plain = false;
                    break;
                }
                if (!is_space(out[k].text.front())) {
                    break;
                }
            }
            for (std::size_t k = t + 1; k < out.size(); ++k) {
                if (out[k].word) {
                    out[k].plain = false;
                    break;
                }
                if (!is_space(out[k].text.front())) {
                    break;
                }
            }
        }
    }
    return out;
}

std::string format_member(const std::vector<std::string>& words) {
    std::string s;
    for (const auto& w : words) {
        s += s.empty() ? "" : " ";
        s += w;
    }
    return words.size() > 1 ? "\"" + s + "\"" : s;
}

} // namespace

Synonyms Synonyms::parse(std::string_view text) {
    Synonyms s;
    for (const auto line_raw : text::split(text, '\n')) {
        const std::string_view line = text::trim(line_raw);
        if (line.empty() || line.front() == '#') {
            continue;
        }
        std::vector<std::vector<std::string>> group;
        for (const auto member : text::split(line, ',')) {
            auto words = words_of(member);
            if (!words.empty() && std::find(group.begin(), group.end(), words) == group.end()) {
                group.push_back(std::move(words));
            }
        }
        if (group.size() >= 2) {
            s.groups_.push_back(std::move(group));
        }
    }
    return s;
}

Result<Synonyms> Synonyms::load_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return Error(ErrorCode::bad_config, fmt::format("cannot read synonyms file {}", path), "synonyms_file");
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    return parse(ss.str());
}

std::string Synonyms::expand(std::string_view q, std::vector<std::string>* applied) const {
    if (groups_.empty()) {
        return std::string(q);
    }
    const std::vector<Token> tokens = tokenize(q);
    std::string out;
    bool changed = false;
    std::size_t t = 0;
    while (t < tokens.size()) {
        if (!tokens[t].plain) {
            out += tokens[t].text;
            ++t;
            continue;
        }
        // The run of plain words starting here (token indexes), separated by spaces only.
        std::vector<std::size_t> run{t};
        for (std::size_t k = t + 1; k + 1 < tokens.size(); k += 2) {
            if (tokens[k].word || !is_space(tokens[k].text.front()) || !tokens[k + 1].plain) {
                break;
            }
            run.push_back(k + 1);
        }
        std::size_t best_len = 0;
        const std::vector<std::vector<std::string>>* best_group = nullptr;
        for (const auto& group : groups_) {
            for (const auto& member : group) {
                if (member.size() <= best_len || member.size() > run.size()) {
                    continue;
                }
                bool match = true;
                for (std::size_t w = 0; w < member.size() && match; ++w) {
                    match = text::fold_case(tokens[run[w]].text) == member[w];
                }
                if (match) {
                    best_len = member.size();
                    best_group = &group;
                }
            }
        }
        if (best_group == nullptr) {
            out += tokens[t].text;
            ++t;
            continue;
        }
        std::string alternatives;
        for (std::size_t m = 0; m < best_group->size(); ++m) {
            alternatives += m == 0 ? "" : " OR ";
            alternatives += format_member((*best_group)[m]);
        }
        out += '(';
        out += alternatives;
        out += ')';
        if (applied != nullptr) {
            applied->push_back(std::move(alternatives));
        }
        changed = true;
        t = run[best_len - 1] + 1;
    }
    return changed ? out : std::string(q);
}

} // namespace gazette::searchd
