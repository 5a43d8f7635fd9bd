#include "bench/support/query_sampler.hpp"

#include <simdjson.h>

#include <cctype>
#include <set>
#include <unordered_set>

namespace gazette::bench {

namespace {

const std::unordered_set<std::string>& stop_words() {
    static const std::unordered_set<std::string> stop = {
        "about", "above", "after", "again", "against", "also", "among", "been", "before", "being",
        "below", "between", "both", "could", "does", "doing", "down", "during", "each", "from",
        "further", "have", "having", "here", "into", "just", "more", "most", "much", "only", "other",
        "ours", "over", "same", "should", "some", "such", "than", "that", "their", "theirs", "them",
        "then", "there", "these", "they", "this", "those", "through", "under", "until", "very",
        "were", "what", "when", "where", "which", "while", "whom", "will", "with", "would", "your",
        "yours", "said", "says", "many", "well", "year", "years", "like", "even", "because"};
    return stop;
}

std::string body_of(simdjson::ondemand::parser& parser, const std::string& json) {
    simdjson::padded_string padded(json);
    auto doc = parser.iterate(padded);
    for (auto field : doc.get_object()) {
        if (field.unescaped_key().value() == "body") {
            std::string_view v;
            return field.value().get_string().get(v) == simdjson::SUCCESS ? std::string(v) : std::string();
        }
    }
    return {};
}

} // namespace

std::vector<std::string> words_of(std::string_view text) {
    std::vector<std::string> out;
    std::string cur;
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (std::isalpha(c) != 0) {
            cur.push_back(static_cast<char>(std::tolower(c)));
        } else {
            if (!cur.empty()) {
                out.push_back(std::move(cur));
                cur.clear();
            }
            if (c >= 0x80) {
                out.emplace_back();
            }
        }
    }
    if (!cur.empty()) {
        out.push_back(std::move(cur));
    }
    return out;
}

bool content_word(const std::string& word) {
    return word.size() >= 4 && word.size() <= 14 && stop_words().count(word) == 0;
}

std::vector<std::string> two_word_queries(const std::vector<std::string>& lines, std::size_t count,
                                          std::mt19937_64& rng) {
    simdjson::ondemand::parser parser;
    std::vector<std::string> out;
    std::set<std::string> seen;
    for (std::size_t attempts = 0; out.size() < count && attempts < count * 50; ++attempts) {
        const auto words = words_of(body_of(parser, lines[rng() % lines.size()]));
        if (words.size() < 20) {
            continue;
        }
        const std::size_t i = rng() % (words.size() - 8);
        if (!content_word(words[i])) {
            continue;
        }
        for (std::size_t j = i + 1 + rng() % 3; j < i + 8; ++j) {
            if (content_word(words[j]) && words[j] != words[i]) {
                std::string q = words[i] + " " + words[j];
                if (seen.insert(q).second) {
                    out.push_back(std::move(q));
                }
                break;
            }
        }
    }
    return out;
}

} // namespace gazette::bench
